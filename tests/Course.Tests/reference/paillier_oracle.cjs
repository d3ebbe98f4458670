// Independent oracle for the course's Paillier code: npm's paillier-bigint 3.4.3 (./course setup installs it into
// artifacts/npm). Reads JSON cases on stdin (big integers as decimal strings), writes what paillier-bigint computes.
const { PublicKey, PrivateKey } = require('paillier-bigint');
const { isProbablyPrime } = require('bigint-crypto-utils');

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const cases = JSON.parse(input);
  const out = [];
  for (const k of cases) {
    const n = BigInt(k.n), p = BigInt(k.p), q = BigInt(k.q);
    const pub = new PublicKey(n, n + 1n);
    const lambda = BigInt(k.lambda), mu = BigInt(k.mu);
    const priv = new PrivateKey(lambda, mu, pub, p, q);
    out.push({
      p_prime: await isProbablyPrime(p, 40),
      q_prime: await isProbablyPrime(q, 40),
      encrypted: k.m.map((m, i) => pub.encrypt(BigInt(m), BigInt(k.r[i])).toString()),
      decrypted: k.c.map(c => priv.decrypt(BigInt(c)).toString()),
      random_factor: k.c.map(c => priv.getRandomFactor(BigInt(c)).toString()),
      sum: pub.addition(...k.c.map(BigInt)).toString(),
      scaled: k.c.map((c, i) => pub.multiply(BigInt(c), BigInt(k.k[i])).toString()),
    });
  }
  process.stdout.write(JSON.stringify(out));
});
