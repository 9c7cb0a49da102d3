namespace Imb;

/// <summary>The one exception Imb throws; its message names the server, stream or subject involved, never a secret.</summary>
public sealed class ImbException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ImbException"/> class.</summary>
    public ImbException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ImbException"/> class.</summary>
    /// <param name="message">What failed, naming the thing at fault.</param>
    public ImbException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ImbException"/> class.</summary>
    /// <param name="message">What failed, naming the thing at fault.</param>
    /// <param name="innerException">The cause.</param>
    public ImbException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the error code the NATS server answered with, when the failure came from the server.</summary>
    public int? ServerErrorCode { get; init; }

    /// <summary>Gets what kind of failure this is.</summary>
    public ImbErrorKind Kind { get; init; }
}
