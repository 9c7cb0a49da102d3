using Microsoft.Extensions.Options;

namespace Imb.Subscribing;

/// <summary>Checks the single-value rules declared on <see cref="SubscriptionOptions"/> (ranges, required values).</summary>
[OptionsValidator]
internal sealed partial class SubscriptionOptionsValidator : IValidateOptions<SubscriptionOptions>;
