namespace AgentFabric.Cli.Up;

/// <summary>What <c>up</c> shows while it starts the children: a live display on a terminal
/// (<see cref="LiveUpProgress"/>), plain lines otherwise (<see cref="PlainUpProgress"/>).</summary>
internal interface IUpProgress
{
    void Starting(string child);

    /// <summary>A step of the child worth a line (a join token minted, entries registered).</summary>
    void Note(string child, string text);

    void Ready(string child, TimeSpan took, string url);

    void Skipped(string child, string reason);

    void Failed(string child, string reason);
}
