namespace AgentFabric.Browser.Tests;

/// <summary>A fact that needs Debian's chromium (<c>/usr/bin/chromium</c>, or the executable named by
/// AGENTFABRIC_CHROMIUM); skipped, saying so, where there is none. test.sh installs it.</summary>
public class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null)
        {
            Skip = $"chromium skipped: no executable at {HeadlessChromium.ExpectedPath} (test.sh installs Debian's chromium; or set {HeadlessChromium.Variable})";
        }
    }
}

/// <summary>A theory that needs chromium; skipped, saying so, where there is none.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute()
    {
        if (HeadlessChromium.Executable is null)
        {
            Skip = $"chromium skipped: no executable at {HeadlessChromium.ExpectedPath} (test.sh installs Debian's chromium; or set {HeadlessChromium.Variable})";
        }
    }
}
