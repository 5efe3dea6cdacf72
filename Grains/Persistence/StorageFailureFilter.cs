using Microsoft.Extensions.Logging;
using Npgsql;
using SafeGram.Grains.Abstractions.Common;

namespace SafeGram.Grains.Persistence;

/// <summary>
/// A database failure escaping a grain call leaves it as <see cref="StorageUnavailableException"/>: Npgsql's exceptions
/// (thrown as they are, or wrapped by the ADO.NET grain storage) cannot be serialized to the caller, who would
/// otherwise get a codec failure in place of the cause.
/// </summary>
internal sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (DatabaseFailureIn(e) is { } failure)
        {
            LogDatabaseFailure(logger, context.InterfaceMethod.Name, context.TargetId, e);
            throw new StorageUnavailableException($"{failure.GetType().Name}: {failure.Message}");
        }
    }

    private static NpgsqlException? DatabaseFailureIn(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is NpgsqlException failure)
            {
                return failure;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} on {Grain} failed in the database")]
    private static partial void LogDatabaseFailure(ILogger logger, string method, GrainId grain, Exception exception);
}
