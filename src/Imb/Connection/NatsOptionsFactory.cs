using System.Reflection;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

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
            // Constant, not backing off: a server back after a long outage is found within one wait (README's recovery times).
            ReconnectWaitMin = options.ReconnectWait,
            ReconnectWaitMax = options.ReconnectWait,
            ReconnectJitter = options.ReconnectWait / 2,
            MaxReconnectRetry = options.MaxReconnectAttempts,
            RetryOnInitialConnect = false,

            // Header values pass through byte for byte (dead letters keep them), and text in them is UTF-8.
            HeaderEncoding = LosslessUtf8Encoding.Instance,
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
            var (seed, publicKey) = await CredentialFiles.ReadSeedFileAsync(seedFile, cancellationToken).ConfigureAwait(false);
            return NatsAuthOpts.Default with { NKey = publicKey, Seed = seed };
        }

        if (credentials.CredsFile is { } credsFile)
        {
            // Passed as values, not as the path: the file is read and checked once, here, by one parser.
            var (jwt, seed) = await CredentialFiles.ReadCredsFileAsync(credsFile, cancellationToken).ConfigureAwait(false);
            return NatsAuthOpts.Default with { Jwt = jwt, Seed = seed };
        }

        return NatsAuthOpts.Default with
        {
            Username = credentials.User,
            Password = credentials.Password,
            Token = credentials.Token,
        };
    }
}
