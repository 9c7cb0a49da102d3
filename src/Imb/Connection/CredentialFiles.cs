using NATS.NKeys;

namespace Imb.Connection;

/// <summary>
/// Reads NKey seed files and creds files once, at connect, so that a bad file fails start by its name and the key
/// that holds it, never by its content (a seed is a private key).
/// </summary>
internal static class CredentialFiles
{
    private const string SeedKey = "Imb:Credentials:NKeySeedFile";
    private const string CredsKey = "Imb:Credentials:CredsFile";
    private const string JwtBegin = "-----BEGIN NATS USER JWT-----";
    private const string SeedBegin = "-----BEGIN USER NKEY SEED-----";

    /// <summary>Reads a file holding one user NKey seed; returns the seed and its public key.</summary>
    public static async Task<(string Seed, string PublicKey)> ReadSeedFileAsync(string path, CancellationToken cancellationToken)
    {
        var seed = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        return (seed, PublicKeyOf(seed, path, SeedKey));
    }

    /// <summary>Reads a decentralised-auth creds file (user JWT, then user seed, each after its BEGIN line).</summary>
    public static async Task<(string Jwt, string Seed)> ReadCredsFileAsync(string path, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var jwt = LineAfter(lines, JwtBegin) ?? throw Invalid(path, CredsKey, $"has no user JWT (no line after '{JwtBegin}')");
        if (jwt.Split('.') is not [{ Length: > 0 }, { Length: > 0 }, { Length: > 0 }])
        {
            throw Invalid(path, CredsKey, "holds a user JWT that is not of the form header.claims.signature");
        }

        var seed = LineAfter(lines, SeedBegin) ?? throw Invalid(path, CredsKey, $"has no user seed (no line after '{SeedBegin}')");
        PublicKeyOf(seed, path, CredsKey);
        return (jwt, seed);
    }

    private static string? LineAfter(string[] lines, string marker)
    {
        var at = Array.FindIndex(lines, line => line.Trim().StartsWith(marker, StringComparison.Ordinal));
        return at >= 0 && at + 1 < lines.Length && lines[at + 1].Trim() is { Length: > 0 } next ? next : null;
    }

    private static string PublicKeyOf(string seed, string path, string key)
    {
        KeyPair pair;
        try
        {
            pair = KeyPair.FromSeed(seed);
        }
        // NATS.NKeys reports a bad seed as NKeysException (checksum), ArgumentException (base32) or
        // IndexOutOfRangeException (too short). None is chained: nothing of the seed may reach a log.
        catch (Exception e) when (e is NKeysException or ArgumentException or IndexOutOfRangeException)
        {
            throw Invalid(path, key, "does not hold a valid NKey seed (one line of base32 starting with 'SU' for a user)");
        }

        if (pair.Prefix != PrefixByte.User)
        {
            throw Invalid(path, key, $"holds a seed of key type {pair.Prefix}, not User ('SU…')");
        }

        return pair.GetPublicKey();
    }

    private static ImbException Invalid(string path, string key, string reason) =>
        new($"The file '{path}' ({key}) {reason}.") { Kind = ImbErrorKind.Invalid };
}
