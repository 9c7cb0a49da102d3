using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace NATS.NKeys;

/// <summary>An Ed25519 NKey: a seed (private) and its public key, as NATS.Client.Core uses for authentication.</summary>
/// <remarks>Disposable because NATS.Client.Core disposes every pair it creates (<c>using var kp = KeyPair.FromSeed(…)</c>).</remarks>
public sealed class KeyPair : IDisposable
{
    private readonly PrefixByte _prefix;
    private Ed25519PrivateKeyParameters? _privateKey;
    private bool _disposed;
    private readonly Ed25519PublicKeyParameters _publicKey;

    private KeyPair(PrefixByte prefix, Ed25519PrivateKeyParameters? privateKey, Ed25519PublicKeyParameters publicKey)
    {
        _prefix = prefix;
        _privateKey = privateKey;
        _publicKey = publicKey;
    }

    /// <summary>Creates a key pair from an encoded seed ("SU…"), validating its checksum and role.</summary>
    /// <param name="seed">The encoded seed.</param>
    /// <returns>The key pair.</returns>
    /// <exception cref="FormatException">The seed is malformed or its checksum does not match.</exception>
    public static KeyPair FromSeed(ReadOnlySpan<char> seed)
    {
        var (prefix, raw) = KeyCodec.DecodeSeed(seed);
        var privateKey = new Ed25519PrivateKeyParameters(raw, 0);
        return new KeyPair(prefix, privateKey, privateKey.GeneratePublicKey());
    }

    /// <summary>Creates a verify-only key pair from an encoded public key ("U…").</summary>
    /// <param name="publicKey">The encoded public key.</param>
    /// <returns>The key pair, which can verify but not sign.</returns>
    public static KeyPair FromPublicKey(ReadOnlySpan<char> publicKey)
    {
        var (prefix, raw) = KeyCodec.DecodePublicKey(publicKey);
        return new KeyPair(prefix, null, new Ed25519PublicKeyParameters(raw, 0));
    }

    /// <summary>Creates a new random key pair for the given role.</summary>
    /// <param name="prefix">The role of the key.</param>
    /// <returns>The key pair.</returns>
    public static KeyPair CreatePair(PrefixByte prefix)
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        return new KeyPair(prefix, privateKey, privateKey.GeneratePublicKey());
    }

    /// <summary>Gets the encoded seed.</summary>
    /// <returns>The seed; a secret.</returns>
    public string GetSeed() => KeyCodec.EncodeSeed(_prefix, RequirePrivateKey().GetEncoded());

    /// <summary>Gets the encoded public key.</summary>
    /// <returns>The public key, safe to share.</returns>
    public string GetPublicKey() => KeyCodec.EncodePublicKey(_prefix, _publicKey.GetEncoded());

    /// <summary>Signs <paramref name="input"/> and writes the 64-byte Ed25519 signature to <paramref name="output"/>.</summary>
    /// <param name="input">The data to sign (the server's nonce).</param>
    /// <param name="output">At least 64 bytes.</param>
    public void Sign(ReadOnlyMemory<byte> input, Memory<byte> output)
    {
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, RequirePrivateKey());
        signer.BlockUpdate(input.Span);
        var signature = signer.GenerateSignature();
        signature.CopyTo(output.Span);
    }

    /// <summary>Verifies an Ed25519 signature made by this key.</summary>
    /// <param name="input">The signed data.</param>
    /// <param name="signature">The signature.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    public bool Verify(ReadOnlyMemory<byte> input, ReadOnlyMemory<byte> signature)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(forSigning: false, _publicKey);
        verifier.BlockUpdate(input.Span);
        return verifier.VerifySignature(signature.ToArray());
    }

    /// <summary>Drops the private key; the pair can no longer sign.</summary>
    public void Dispose()
    {
        _privateKey = null;
        _disposed = true;
    }

    private Ed25519PrivateKeyParameters RequirePrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _privateKey ?? throw new InvalidOperationException("This key pair holds only a public key and cannot sign.");
    }
}
