namespace SafeGram.Grains.Abstractions.Common;

/// <summary>
/// The database failed a grain's read or write: unreachable, timed out, or it refused the statement. Grains raise it in
/// place of the driver's own exception, which Orleans has no codec for; gateways answer it with 503.
/// </summary>
[GenerateSerializer, Alias("SafeGram.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
