using Microsoft.AspNetCore.Builder;
using ResearchAgents.Hosting;
using ResearchAgents.Providers.Offline;
using ResearchAgents.Providers.Rest;
using ResearchAgents.Researcher;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.AddResearchAgent();
builder.Services.AddResearcherClients(settings);

// REST providers configured by the environment (TAVILY_API_KEY, GEMINI_API_KEY, OPENAI_BASE_URL...) first; the
// offline defaults fill whatever they leave unset.
builder.Services.AddRestProviders(builder.Configuration);
builder.Services.AddOfflineProviders();
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapResearcher();
app.Run();
