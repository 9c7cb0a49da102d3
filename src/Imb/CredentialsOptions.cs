namespace Imb;

/// <summary>How Imb authenticates to NATS; set at most one kind (user and password, token, NKey seed file, creds file).</summary>
public sealed class CredentialsOptions
{
    /// <summary>Gets or sets the user name.</summary>
    public string? User { get; set; }

    /// <summary>Gets or sets the password that goes with <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the authentication token.</summary>
    public string? Token { get; set; }

    /// <summary>Gets or sets a file holding an NKey seed ("SU…").</summary>
    public string? NKeySeedFile { get; set; }

    /// <summary>Gets or sets a decentralised-auth creds file (JWT and seed).</summary>
    public string? CredsFile { get; set; }
}
