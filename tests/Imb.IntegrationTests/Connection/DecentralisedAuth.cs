using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NATS.NKeys;

namespace Imb.IntegrationTests.Connection;

/// <summary>
/// A decentralised-auth setup made on the spot, as nsc would make it: an operator, one account with JetStream and
/// one user, as JWT v2 claims signed with their issuers' NKeys. The server trusts the operator and preloads the
/// account (memory resolver); the user's JWT and seed go into a creds file.
/// </summary>
internal sealed class DecentralisedAuth
{
    private readonly KeyPair _operator = KeyPair.CreatePair(PrefixByte.Operator);
    private readonly KeyPair _account = KeyPair.CreatePair(PrefixByte.Account);
    private readonly KeyPair _system = KeyPair.CreatePair(PrefixByte.Account);
    private readonly KeyPair _user = KeyPair.CreatePair(PrefixByte.User);

    /// <summary>Gets the user's seed, which must never appear in a message or log.</summary>
    public string UserSeed => _user.GetSeed();

    /// <summary>Gets the server configuration that trusts the operator and knows the account (and a system account, which JetStream needs).</summary>
    public string ServerConfig()
    {
        var operatorJwt = Sign(_operator, _operator, "imb-test-operator", new JsonObject { ["type"] = "operator", ["version"] = 2 });
        var accountJwt = Sign(_operator, _account, "IMB", new JsonObject
        {
            ["limits"] = new JsonObject
            {
                ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1, ["wildcards"] = true,
                ["conn"] = -1, ["leaf"] = -1, ["mem_storage"] = -1, ["disk_storage"] = -1, ["streams"] = -1, ["consumer"] = -1,
            },
            ["default_permissions"] = new JsonObject { ["pub"] = new JsonObject(), ["sub"] = new JsonObject() },
            ["type"] = "account",
            ["version"] = 2,
        });
        var systemJwt = Sign(_operator, _system, "SYS", new JsonObject { ["type"] = "account", ["version"] = 2 });
        return $$"""
            operator: {{operatorJwt}}
            system_account: {{_system.GetPublicKey()}}
            resolver: MEMORY
            resolver_preload: {
              {{_account.GetPublicKey()}}: {{accountJwt}}
              {{_system.GetPublicKey()}}: {{systemJwt}}
            }
            """;
    }

    /// <summary>Gets a creds file for the user, signed by <paramref name="signedByAccount"/> or by a stranger.</summary>
    public string CredsFile(bool signedByAccount = true)
    {
        var issuer = signedByAccount ? _account : KeyPair.CreatePair(PrefixByte.Account);
        var jwt = Sign(issuer, _user, "imb-test-user", new JsonObject
        {
            ["pub"] = new JsonObject(), ["sub"] = new JsonObject(), ["subs"] = -1, ["data"] = -1, ["payload"] = -1,
            ["type"] = "user", ["version"] = 2,
        });
        return $"""
            -----BEGIN NATS USER JWT-----
            {jwt}
            ------END NATS USER JWT------

            ************************* IMPORTANT *************************
            NKEY Seed printed below can be used to sign and prove identity.

            -----BEGIN USER NKEY SEED-----
            {UserSeed}
            ------END USER NKEY SEED------
            """;
    }

    private static string Sign(KeyPair issuer, KeyPair subject, string name, JsonObject nats)
    {
        var claims = new JsonObject
        {
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = DateTimeOffset.UnixEpoch.AddYears(56).ToUnixTimeSeconds(),
            ["iss"] = issuer.GetPublicKey(),
            ["name"] = name,
            ["sub"] = subject.GetPublicKey(),
            ["nats"] = nats,
        };
        var signingInput = $"{Base64Url("""{"typ":"JWT","alg":"ed25519-nkey"}"""u8)}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString(JsonSerializerOptions.Default)))}";
        var signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(signingInput), signature);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
