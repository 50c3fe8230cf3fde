namespace Platform.Runtime.Tests.Nodes;

/// <summary>A fact that needs the nginx binary: skipped, saying how to get it, only where nginx is not installed.</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (NginxProxy.Binary is null)
        {
            Skip = "nginx is not installed and could not be: apt-get install nginx (./test.sh installs it when missing)";
        }
    }
}
