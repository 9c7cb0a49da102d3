namespace Imb;

/// <summary>TLS settings for connections to NATS (External mode).</summary>
public sealed class TlsOptions
{
    /// <summary>Gets or sets a PEM file of the certificate authorities trusted for the server's certificate.</summary>
    public string? CaFile { get; set; }

    /// <summary>Gets or sets a PEM client certificate, for servers that verify clients.</summary>
    public string? CertFile { get; set; }

    /// <summary>Gets or sets the PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Gets or sets a value indicating whether TLS is required even when no file is set.</summary>
    /// <value>The default is <see langword="false"/>; a <c>tls://</c> server URL or any file also turns TLS on.</value>
    public bool Required { get; set; }
}
