using System.Numerics;
using System.Security.Cryptography;

namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>RSASSA-PSS verification that accepts any salt length (RFC 8017 §8.1.2 with EMSA-PSS-VERIFY, §9.1.2,
/// recovering the salt length from the padding), as OPA's verifier does. The platform verifier only accepts a salt
/// as long as the hash, so tokens signed with another salt length are checked here.</summary>
internal static class RsaPssVerifier
{
    public static bool Verify(RSA rsa, byte[] data, byte[] signature, HashAlgorithmName hash)
    {
        var p = rsa.ExportParameters(false);
        var n = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true);
        var k = p.Modulus!.Length;
        if (signature.Length != k)
        {
            return false;
        }

        // §8.1.2 step 2: RSAVP1.
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= n)
        {
            return false;
        }

        var modBits = (int)n.GetBitLength();
        var emBits = modBits - 1;
        var emLen = (emBits + 7) / 8;
        var m = BigInteger.ModPow(s, e, n);
        if (m.GetByteCount(isUnsigned: true) > emLen)
        {
            return false;
        }

        var em = new byte[emLen];
        m.TryWriteBytes(em.AsSpan(emLen - m.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        var mHash = CryptographicOperations.HashData(hash, data);
        return EmsaPssVerify(mHash, em, emBits, hash);
    }

    // §9.1.2 EMSA-PSS-VERIFY with the salt length taken from the position of the 0x01 separator.
    private static bool EmsaPssVerify(byte[] mHash, byte[] em, int emBits, HashAlgorithmName hash)
    {
        var hLen = mHash.Length;
        var emLen = em.Length;
        if (emLen < hLen + 2 || em[^1] != 0xbc)
        {
            return false;
        }

        var dbLen = emLen - hLen - 1;
        var h = em.AsSpan(dbLen, hLen).ToArray();
        var unusedBits = (8 * emLen) - emBits;
        var topMask = (byte)(0xff >> unusedBits);
        if ((em[0] & ~topMask) != 0)
        {
            return false;
        }

        var db = Mgf1(h, dbLen, hash);
        for (var i = 0; i < dbLen; i++)
        {
            db[i] ^= em[i];
        }

        db[0] &= topMask;
        var sep = Array.FindIndex(db, b => b != 0);
        if (sep < 0 || db[sep] != 0x01)
        {
            return false;
        }

        var salt = db.AsSpan(sep + 1);
        var mPrime = new byte[8 + hLen + salt.Length];
        mHash.CopyTo(mPrime, 8);
        salt.CopyTo(mPrime.AsSpan(8 + hLen));
        return CryptographicOperations.FixedTimeEquals(CryptographicOperations.HashData(hash, mPrime), h);
    }

    // §B.2.1 MGF1.
    private static byte[] Mgf1(byte[] seed, int length, HashAlgorithmName hash)
    {
        var output = new byte[length];
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input, 0);
        var done = 0;
        for (uint counter = 0; done < length; counter++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(seed.Length), counter);
            var block = CryptographicOperations.HashData(hash, input);
            var take = Math.Min(block.Length, length - done);
            block.AsSpan(0, take).CopyTo(output.AsSpan(done));
            done += take;
        }

        return output;
    }
}
