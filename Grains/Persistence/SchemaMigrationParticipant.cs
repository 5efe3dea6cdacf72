namespace SafeGram.Grains.Persistence;

/// <summary>
/// Migrates the schema early in the silo's start-up, before grain storage initialises and before
/// the silo joins the cluster, so no grain ever runs against an older schema.
/// </summary>
internal sealed class SchemaMigrationParticipant(SchemaMigrator migrator, string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.RuntimeInitialize,
            cancellationToken => migrator.MigrateAsync(connectionString, cancellationToken));
}
