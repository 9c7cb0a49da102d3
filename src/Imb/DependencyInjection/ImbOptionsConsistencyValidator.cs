using Microsoft.Extensions.Options;

namespace Imb.DependencyInjection;

/// <summary>Checks the rules that span several keys; each failure names the configuration key at fault.</summary>
internal sealed class ImbOptionsConsistencyValidator : IValidateOptions<ImbOptions>
{
    private static readonly string[] ServerSchemes = ["nats", "tls", "ws", "wss"];

    public ValidateOptionsResult Validate(string? name, ImbOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        ValidateMode(options, result);
        ValidateCredentials(options.Credentials, result);
        ValidateTls(options.Tls, result);
        if (options.Subscribing.PullExpiry < options.Subscribing.Heartbeat * 2)
        {
            result.AddError(
                $"must be at least twice Imb:Subscribing:Heartbeat ({options.Subscribing.Heartbeat}): a pull must live through two heartbeats to tell a quiet stream from a lost pull",
                "Imb:Subscribing:PullExpiry");
        }

        if (options.ClientName is { } clientName && string.IsNullOrWhiteSpace(clientName))
        {
            result.AddError("must not be blank when set", "Imb:ClientName");
        }

        return result.Build();
    }

    private static void ValidateMode(ImbOptions options, ValidateOptionsResultBuilder result)
    {
        switch (options.Mode)
        {
            case ImbMode.External when options.Servers.Count == 0:
                result.AddError("Imb:Mode is External, so at least one server URL is needed (Imb:Servers:0=nats://host:4222)", "Imb:Servers");
                break;
            case ImbMode.External:
                for (var i = 0; i < options.Servers.Count; i++)
                {
                    if (!Uri.TryCreate(options.Servers[i], UriKind.Absolute, out var uri) || !ServerSchemes.Contains(uri.Scheme) || uri.Host.Length == 0)
                    {
                        // The value itself may carry a password, so only the key is named.
                        result.AddError("is not a server URL of the form nats://host:port (schemes: nats, tls, ws, wss)", $"Imb:Servers:{i}");
                    }
                }

                break;
            case ImbMode.Embedded when options.Servers.Count > 0:
                result.AddError("is set, but Imb:Mode is Embedded and would ignore it; set Imb:Mode=External to use these servers", "Imb:Servers");
                break;
            case ImbMode.InMemory when options.Servers.Count > 0:
                result.AddError("is set, but Imb:Mode is InMemory and would ignore it; set Imb:Mode=External to use these servers", "Imb:Servers");
                break;
        }
    }

    private static void ValidateCredentials(CredentialsOptions credentials, ValidateOptionsResultBuilder result)
    {
        var kinds = new[]
        {
            credentials.User is not null || credentials.Password is not null,
            credentials.Token is not null,
            credentials.NKeySeedFile is not null,
            credentials.CredsFile is not null,
        }.Count(set => set);
        if (kinds > 1)
        {
            result.AddError("set only one kind of credential: User and Password, Token, NKeySeedFile or CredsFile", "Imb:Credentials");
        }

        if (string.IsNullOrEmpty(credentials.User) != string.IsNullOrEmpty(credentials.Password))
        {
            result.AddError("User and Password go together: set both or neither", "Imb:Credentials");
        }

        RequireFile(credentials.NKeySeedFile, "Imb:Credentials:NKeySeedFile", result);
        RequireFile(credentials.CredsFile, "Imb:Credentials:CredsFile", result);
    }

    private static void ValidateTls(TlsOptions tls, ValidateOptionsResultBuilder result)
    {
        if ((tls.CertFile is null) != (tls.KeyFile is null))
        {
            result.AddError("CertFile and KeyFile go together: set both or neither", "Imb:Tls");
        }

        RequireFile(tls.CaFile, "Imb:Tls:CaFile", result);
        RequireFile(tls.CertFile, "Imb:Tls:CertFile", result);
        RequireFile(tls.KeyFile, "Imb:Tls:KeyFile", result);
    }

    private static void RequireFile(string? path, string key, ValidateOptionsResultBuilder result)
    {
        if (path is not null && !File.Exists(path))
        {
            result.AddError($"names the file '{path}', which does not exist", key);
        }
    }
}
