using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace SafeGram.Grains.Hosting;

public static class DatabaseExceptionSerialization
{
    /// <summary>
    /// Lets Orleans carry Npgsql's exceptions between silos and clients. Its exception codec serializes only types from
    /// the namespaces it is told about; any other fails to serialize, and the caller gets a codec failure in place of
    /// the cause (a 500 where the contract wants 503). A database failure can surface anywhere a grain touches it —
    /// a grain's own statements, and the state reads and writes Orleans makes for it, activation included — so the
    /// namespace is allowed on both ends rather than each failure translated where it is raised.
    /// </summary>
    public static IServiceCollection AddDatabaseExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));
}
