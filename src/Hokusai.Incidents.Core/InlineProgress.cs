namespace Hokusai.Incidents;

/// <summary>
/// Progress reported on the reporting thread, at once. <see cref="Progress{T}"/> posts to a captured
/// context instead, so its last report can arrive after the work it describes has ended.
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
