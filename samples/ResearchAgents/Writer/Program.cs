using Microsoft.AspNetCore.Builder;
using ResearchAgents.Hosting;
using ResearchAgents.Providers.Offline;
using ResearchAgents.Writer;

var builder = WebApplication.CreateBuilder(args);
builder.AddResearchAgent();
builder.Services.AddOfflineProviders();
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapWriter();
app.Run();
