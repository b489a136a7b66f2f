using AgentFabric.Rego.Values;

using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Aws;

public class AwsBuiltinsTests
{
    // AWS Signature Version 4 test suite, "get-vanilla" (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z).
    private const string VanillaConfig =
        "{\"aws_access_key\": \"AKIDEXAMPLE\", \"aws_secret_access_key\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\", \"aws_service\": \"service\", \"aws_region\": \"us-east-1\"}";

    private const string VanillaTime = "1440938160000000000";

    [Fact]
    public void SignReq_MatchesTheAwsGetVanillaVector()
    {
        var signed = Assert.IsType<ObjectValue>(Call("providers.aws.sign_req", "{\"method\": \"GET\", \"url\": \"https://example.amazonaws.com/\"}", VanillaConfig, VanillaTime));
        var headers = Assert.IsType<ObjectValue>(signed.Get("headers"));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31".Replace(", ", ",", StringComparison.Ordinal),
            ((StringValue)headers.Get("Authorization")!).Value);
        Assert.Equal(StringValue.Create("20150830T123600Z"), headers.Get("x-amz-date"));
        Assert.Equal(StringValue.Create("example.amazonaws.com"), headers.Get("host"));
        Assert.Equal(StringValue.Create("GET"), signed.Get("method"));
    }

    [Fact]
    public void SignReq_S3AddsThePayloadHashAndSessionToken()
    {
        var config = "{\"aws_access_key\": \"A\", \"aws_secret_access_key\": \"S\", \"aws_service\": \"s3\", \"aws_region\": \"eu-west-1\", \"aws_session_token\": \"T\"}";
        var signed = Assert.IsType<ObjectValue>(Call("providers.aws.sign_req", "{\"method\": \"PUT\", \"url\": \"https://b.s3.amazonaws.com/k\", \"raw_body\": \"abc\", \"headers\": {\"User-Agent\": \"x\"}}", config, VanillaTime));
        var headers = Assert.IsType<ObjectValue>(signed.Get("headers"));
        Assert.Equal(StringValue.Create("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), headers.Get("x-amz-content-sha256"));
        Assert.Equal(StringValue.Create("T"), headers.Get("x-amz-security-token"));
        Assert.Equal(StringValue.Create("x"), headers.Get("User-Agent"));
        var authorization = ((StringValue)headers.Get("Authorization")!).Value;
        Assert.Contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public void SignReq_DisabledPayloadSigningUsesUnsignedPayload()
    {
        var config = "{\"aws_access_key\": \"A\", \"aws_secret_access_key\": \"S\", \"aws_service\": \"s3\", \"aws_region\": \"eu-west-1\", \"disable_payload_signing\": true}";
        var signed = Assert.IsType<ObjectValue>(Call("providers.aws.sign_req", "{\"method\": \"get\", \"url\": \"https://b.s3.amazonaws.com/k\"}", config, VanillaTime));
        Assert.Equal(StringValue.Create("UNSIGNED-PAYLOAD"), ((ObjectValue)signed.Get("headers")!).Get("x-amz-content-sha256"));
    }

    [Theory]
    [InlineData("{}", VanillaConfig, VanillaTime, "operand 1 missing required request parameters(s): {\"method\", \"url\"}")]
    [InlineData("{\"method\": 1, \"url\": \"http://x\"}", VanillaConfig, VanillaTime, "operand 1 invalid values for required request parameters(s): {\"method\"}")]
    [InlineData("{\"method\": \"get\", \"url\": \"http://x\", \"bogus\": 1}", VanillaConfig, VanillaTime, "operand 1 invalid request parameters(s): {\"bogus\"}")]
    [InlineData("{\"method\": \"get\", \"url\": \"http://x\"}", "{}", VanillaTime, "operand 2 missing required AWS config parameters(s): {\"aws_access_key\", \"aws_region\", \"aws_secret_access_key\", \"aws_service\"}")]
    [InlineData("{\"method\": \"get\", \"url\": \"http://x\"}", "{\"aws_access_key\": 1, \"aws_secret_access_key\": \"s\", \"aws_service\": \"s3\", \"aws_region\": \"r\"}", VanillaTime, "operand 2 invalid values for required AWS config parameters(s): {\"aws_access_key\"}")]
    [InlineData("{\"method\": \"get\", \"url\": \"http://x\"}", VanillaConfig, "1.5", "operand 3 could not convert time_ns value into a unix timestamp")]
    [InlineData("{\"method\": \"get\", \"url\": \"http://x\"}", VanillaConfig, "-1e9", "operand 3 could not convert time_ns value into a unix timestamp")]
    [InlineData("{\"method\": \"get\", \"url\": \"http://x\"}", VanillaConfig, "1440938160e9", "operand 3 could not convert time_ns value into a unix timestamp")]
    [InlineData("{\"method\": \"get\", \"url\": \"http://x\"}", "{\"aws_access_key\": \"a\", \"aws_secret_access_key\": \"s\", \"aws_service\": \"s3\", \"aws_region\": \"r\", \"disable_payload_signing\": \"no\"}", VanillaTime, "operand 2 invalid value for 'disable_payload_signing' in AWS config")]
    public void SignReq_OperandErrors(string request, string config, string time, string message) =>
        AssertError(RegoErrorCodes.EvalTypeError, message, "providers.aws.sign_req", request, config, time);
}
