namespace Imb.Connection;

/// <summary>Removes every configured secret (passwords, tokens, credentials in URLs) from text that may reach a log or an exception.</summary>
internal sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly string[] _secrets;

    public SecretRedactor(ImbOptions options)
    {
        IEnumerable<string?> secrets = [options.Credentials.Password, options.Credentials.Token, .. options.Servers.Select(UserInfo)];
        _secrets = [.. secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct().OrderByDescending(s => s.Length)];
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Describes servers for messages: URLs without their user information.</summary>
    public static string DescribeServers(IEnumerable<string> servers) =>
        string.Join(", ", servers.Select(s => Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString().TrimEnd('/')
            : s));

    private static string? UserInfo(string server) =>
        Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : null;
}
