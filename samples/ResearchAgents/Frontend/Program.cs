using Microsoft.AspNetCore.Builder;
using ResearchAgents.Frontend;
using ResearchAgents.Hosting;

var builder = WebApplication.CreateBuilder(args);

// People reach the frontend over HTTP (ASPNETCORE_URLS); it calls the researcher and the writer over SPIFFE mTLS.
var settings = builder.AddResearchAgent(new ResearchAgentOptions { ServeMtls = false });
builder.Services.AddFrontendSignIn(settings);
ResearchCalls.AddResearchCalls(builder.Services, settings);
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapFrontend();
app.Run();
