using Microsoft.AspNetCore.Builder;
using ResearchAgents.Hosting;
using ResearchAgents.Providers.Offline;
using ResearchAgents.Researcher;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.AddResearchAgent();
builder.Services.AddResearcherClients(settings);
builder.Services.AddOfflineProviders();
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapResearcher();
app.Run();
