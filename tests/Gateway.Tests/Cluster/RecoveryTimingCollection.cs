namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// Tests whose limits are recovery times after a kill: they run after the others and one at a time, so that another
/// test's processes do not eat into their margins on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RecoveryTimingCollection
{
    public const string Name = nameof(RecoveryTimingCollection);
}
