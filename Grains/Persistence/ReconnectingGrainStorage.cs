using Orleans.Storage;
using SafeGram.Grains.Abstractions.Common;

namespace SafeGram.Grains.Persistence;

/// <summary>
/// Grain state on PostgreSQL, recovering from connections the server ended (<see cref="PostgresReconnection"/>): a read,
/// such as an activation's, runs once more on a new connection; a failed write or clear only empties the pools, since
/// it may have committed and a second run would fail the version check.
/// </summary>
internal sealed class ReconnectingGrainStorage(IGrainStorage storage, PostgresReconnection reconnection) : IGrainStorage
{
    /// <summary>The name Orleans' ADO.NET storage is registered under; grains reach it as <see cref="StorageNames.Main"/>, through this class.</summary>
    public const string InnerName = StorageNames.Main + "-postgres";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        reconnection.RunIdempotentAsync(_ => storage.ReadStateAsync(stateName, grainId, grainState), CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        reconnection.RunOnceAsync(_ => storage.WriteStateAsync(stateName, grainId, grainState), CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        reconnection.RunOnceAsync(_ => storage.ClearStateAsync(stateName, grainId, grainState), CancellationToken.None);
}
