/// The SHA-256 digest (FIPS 180-4), for cache keys and the content hashes of rendered pages.
public enum SHA256 {
    static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The 32-byte digest of `bytes`.
    ///
    /// Written for unoptimised builds too (the README's `swift run` is one): buffers are read through pointers and
    /// the rotations are spelled out, so that a cache hit does not spend its time hashing.
    public static func digest(of bytes: [UInt8]) -> [UInt8] {
        var hash: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var message = bytes
        let bitLength = UInt64(bytes.count) &* 8
        message.append(0x80)
        message.append(contentsOf: repeatElement(0, count: (64 + 56 - message.count % 64) % 64))
        for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var schedule = [UInt32](repeating: 0, count: 64)
        message.withUnsafeBufferPointer { message in
            roundConstants.withUnsafeBufferPointer { k in
                schedule.withUnsafeMutableBufferPointer { w in
                    var (h0, h1, h2, h3, h4, h5, h6, h7) = (hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7])
                    var chunk = 0
                    while chunk < message.count {
                        var t = 0
                        while t < 16 {
                            let base = chunk &+ 4 &* t
                            w[t] = UInt32(message[base]) << 24 | UInt32(message[base &+ 1]) << 16
                                | UInt32(message[base &+ 2]) << 8 | UInt32(message[base &+ 3])
                            t &+= 1
                        }
                        while t < 64 {
                            let x = w[t &- 15], y = w[t &- 2]
                            let s0 = (x >> 7 | x << 25) ^ (x >> 18 | x << 14) ^ (x >> 3)
                            let s1 = (y >> 17 | y << 15) ^ (y >> 19 | y << 13) ^ (y >> 10)
                            w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                            t &+= 1
                        }
                        var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
                        t = 0
                        while t < 64 {
                            let sum1 = (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7)
                            let choice = (e & f) ^ (~e & g)
                            let temp1 = h &+ sum1 &+ choice &+ k[t] &+ w[t]
                            let sum0 = (a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)
                            let majority = (a & b) ^ (a & c) ^ (b & c)
                            let temp2 = sum0 &+ majority
                            h = g; g = f; f = e; e = d &+ temp1; d = c; c = b; b = a; a = temp1 &+ temp2
                            t &+= 1
                        }
                        h0 = h0 &+ a; h1 = h1 &+ b; h2 = h2 &+ c; h3 = h3 &+ d
                        h4 = h4 &+ e; h5 = h5 &+ f; h6 = h6 &+ g; h7 = h7 &+ h
                        chunk &+= 64
                    }
                    hash = [h0, h1, h2, h3, h4, h5, h6, h7]
                }
            }
        }
        return hash.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
    }

    /// The digest of `bytes` as 64 lower-case hexadecimal digits.
    public static func hex(of bytes: [UInt8]) -> String {
        digest(of: bytes).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
        }.joined()
    }

    /// The digest of the UTF-8 bytes of `text`, in hexadecimal.
    public static func hex(of text: String) -> String { hex(of: Array(text.utf8)) }
}
