using Orleans.Storage;
using SafeGram.Grains.Abstractions.Common;

namespace SafeGram.Grains.Persistence;

/// <summary>
/// Grain state on PostgreSQL, recovering from connections that ended (<see cref="PostgresReconnection"/>): a read, such
/// as an activation's, runs once more on a new connection. A write whose connection ended may or may not have
/// committed, so the stored row decides: still the version the write expected — it did not commit, and runs again; a
/// newer version holding exactly the state written — it committed, and the grain takes the new version; anything else
/// is a conflict, which makes Orleans deactivate the grain. A clear (which no grain uses) only empties the pools.
/// </summary>
internal sealed class ReconnectingGrainStorage(
    IGrainStorage storage, PostgresReconnection reconnection, IGrainStorageSerializer serializer) : IGrainStorage
{
    /// <summary>The name Orleans' ADO.NET storage is registered under; grains reach it as <see cref="StorageNames.Main"/>, through this class.</summary>
    public const string InnerName = StorageNames.Main + "-postgres";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        reconnection.RunIdempotentAsync(_ => storage.ReadStateAsync(stateName, grainId, grainState), CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expectedVersion = grainState.ETag;
        return reconnection.RunCheckedWriteAsync(
            async _ =>
            {
                await storage.WriteStateAsync(stateName, grainId, grainState);
                return true;
            },
            _ => LookUpAsync(),
            CancellationToken.None);

        async Task<(bool Found, bool Outcome)> LookUpAsync()
        {
            var stored = new GrainState<T>();
            await storage.ReadStateAsync(stateName, grainId, stored);
            if (stored.ETag == expectedVersion)
            {
                return (false, false);
            }

            if (!stored.RecordExists || !HoldsTheSameState(stored, grainState))
            {
                throw new InconsistentStateException(
                    $"The state of {grainId} changed while its write's connection ended", stored.ETag, expectedVersion);
            }

            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
            return (true, true);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        reconnection.RunOnceAsync(_ => storage.ClearStateAsync(stateName, grainId, grainState), CancellationToken.None);

    /// <summary>Compared as serialized, since state types need not define equality.</summary>
    private bool HoldsTheSameState<T>(IGrainState<T> stored, IGrainState<T> written) =>
        serializer.Serialize(stored.State).ToMemory().Span.SequenceEqual(serializer.Serialize(written.State).ToMemory().Span);
}
