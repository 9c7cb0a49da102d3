using Microsoft.Extensions.Options;

namespace Imb.DependencyInjection;

/// <summary>Checks the single-value rules declared on <see cref="ImbOptions"/> (ranges, required values).</summary>
[OptionsValidator]
internal sealed partial class ImbOptionsValidator : IValidateOptions<ImbOptions>;
