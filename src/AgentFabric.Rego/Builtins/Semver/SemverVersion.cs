namespace AgentFabric.Rego.Builtins.Semver;

/// <summary>A Semantic Versioning 2.0.0 version: <c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c>, compared by
/// precedence (SemVer §11; build metadata is ignored).</summary>
internal sealed class SemverVersion : IComparable<SemverVersion>
{
    private SemverVersion(long major, long minor, long patch, string[] preRelease)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        PreRelease = preRelease;
    }

    public long Major { get; }

    public long Minor { get; }

    public long Patch { get; }

    public string[] PreRelease { get; }

    /// <summary>Parses a version; the build metadata follows the first '+', the pre-release the first '-' before
    /// it (so "1.0.0-a-b" has pre-release "a-b"). Identifiers are [0-9A-Za-z-] (SemVer §9, §10).</summary>
    public static bool TryParse(string s, out SemverVersion version)
    {
        version = null!;
        var core = s;
        var plus = core.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!ValidIdentifiers(core[(plus + 1)..]))
            {
                return false;
            }

            core = core[..plus];
        }

        string[] pre = [];
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            var preText = core[(dash + 1)..];
            if (!ValidIdentifiers(preText))
            {
                return false;
            }

            pre = preText.Split('.');
            core = core[..dash];
        }

        var parts = core.Split('.');
        if (parts.Length != 3 || !TryNumber(parts[0], out var major) || !TryNumber(parts[1], out var minor) || !TryNumber(parts[2], out var patch))
        {
            return false;
        }

        version = new SemverVersion(major, minor, patch, pre);
        return true;
    }

    private static bool TryNumber(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            if (value > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }

    private static bool ValidIdentifiers(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        foreach (var id in s.Split('.'))
        {
            if (id.Length == 0)
            {
                return false;
            }

            foreach (var c in id)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // SemVer §11: numbers numerically; a version with a pre-release is lower; identifiers compare numerically when
    // both are numeric, numeric ones are lower than alphanumeric ones, otherwise ASCII order; a shorter prefix list
    // is lower.
    public int CompareTo(SemverVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = Patch.CompareTo(other.Patch);
        }

        if (c != 0)
        {
            return Math.Sign(c);
        }

        if (PreRelease.Length == 0 || other.PreRelease.Length == 0)
        {
            // A release is higher than any of its pre-releases.
            return other.PreRelease.Length == 0 ? (PreRelease.Length == 0 ? 0 : -1) : 1;
        }

        for (var i = 0; i < Math.Min(PreRelease.Length, other.PreRelease.Length); i++)
        {
            var a = PreRelease[i];
            var b = other.PreRelease[i];
            var aNum = long.TryParse(a, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var an);
            var bNum = long.TryParse(b, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bn);
            c = (aNum, bNum) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a, b),
            };
            if (c != 0)
            {
                return Math.Sign(c);
            }
        }

        return Math.Sign(PreRelease.Length.CompareTo(other.PreRelease.Length));
    }
}
