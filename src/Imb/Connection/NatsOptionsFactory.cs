using System.Reflection;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.NKeys;

namespace Imb.Connection;

/// <summary>Maps <see cref="ImbOptions"/> onto the NATS client's options.</summary>
internal static class NatsOptionsFactory
{
    public static async Task<NatsOpts> CreateAsync(ImbOptions options, IReadOnlyList<string> servers, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var tls = options.Tls;
        var anyTlsFile = tls.CaFile is not null || tls.CertFile is not null;
        return NatsOpts.Default with
        {
            Url = string.Join(",", servers),
            Name = options.ClientName ?? Assembly.GetEntryAssembly()?.GetName().Name ?? "imb",
            LoggerFactory = loggerFactory,
            ConnectTimeout = options.ConnectTimeout,
            ReconnectWaitMin = options.ReconnectWait,
            ReconnectWaitMax = options.ReconnectWait * 4,
            MaxReconnectRetry = options.MaxReconnectAttempts,
            RetryOnInitialConnect = false,
            AuthOpts = await CreateAuthAsync(options.Credentials, cancellationToken).ConfigureAwait(false),
            TlsOpts = new NatsTlsOpts
            {
                CaFile = tls.CaFile,
                CertFile = tls.CertFile,
                KeyFile = tls.KeyFile,
                Mode = tls.Required || anyTlsFile ? TlsMode.Require : TlsMode.Auto,
            },
        };
    }

    private static async Task<NatsAuthOpts> CreateAuthAsync(CredentialsOptions credentials, CancellationToken cancellationToken)
    {
        if (credentials.NKeySeedFile is { } seedFile)
        {
            // Read and check the seed here so a bad file is reported by name, never by content.
            var seed = (await File.ReadAllTextAsync(seedFile, cancellationToken).ConfigureAwait(false)).Trim();
            KeyPair pair;
            try
            {
                pair = KeyPair.FromSeed(seed);
            }
            catch (FormatException e)
            {
                throw new ImbException($"The NKey seed file '{seedFile}' (Imb:Credentials:NKeySeedFile) does not hold a valid seed: {e.Message}", e);
            }

            return NatsAuthOpts.Default with { NKey = pair.GetPublicKey(), Seed = seed };
        }

        return NatsAuthOpts.Default with
        {
            Username = credentials.User,
            Password = credentials.Password,
            Token = credentials.Token,
            CredsFile = credentials.CredsFile,
        };
    }
}
