namespace SafeGram.Grains.Abstractions.Common;

/// <summary>Grain storage provider names shared by every host that runs grains.</summary>
public static class StorageNames
{
    public const string Main = "main";
}
