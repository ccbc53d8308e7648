// Independent webhook verifiers written from the public cStar docs, using only node:crypto.
//
// - verifyDocumented: the documented X-Signature verifier (facts §4.4): parse `t=<unix>,v1=<hex>`
//   (split on ",", each piece at its first "=", trim), HMAC-SHA256 over `${t}.${rawBody}` keyed
//   with the whole secret, crypto.timingSafeEqual, reject when |now - t| > 300 s.
// - verifyLaunchPost: the launch post's snippet, verbatim in spirit:
//   createHmac('sha256', secret).update(rawBody).digest('hex') === req.headers['x-cstar-signature']
//
// Protocol (used by tests/webhooks/test_node_crosscheck.py): stdin is a JSON array of cases
//   {body_b64, secret, x_signature, x_cstar_signature, now, t}
// and stdout is a JSON array of results
//   {documented: {ok, reason}, launch_post: bool, node_header: "t=…,v1=…"}
// where node_header is Node's own signature of the body at time t, for a byte-level comparison.

import crypto from "node:crypto";

const TOLERANCE_SECONDS = 300;

export function verifyDocumented(rawBody, header, secret, now, tolerance = TOLERANCE_SECONDS) {
  let t = null;
  const signatures = [];
  for (const piece of String(header ?? "").split(",")) {
    const at = piece.indexOf("=");
    if (at < 0) continue;
    const key = piece.slice(0, at).trim();
    const value = piece.slice(at + 1).trim();
    if (key === "t") t = /^\d+$/.test(value) ? Number.parseInt(value, 10) : Number.NaN;
    else if (key === "v1") signatures.push(value);
  }
  if (t === null || Number.isNaN(t) || signatures.length === 0) {
    return { ok: false, reason: "malformed_header" };
  }
  if (Math.abs(now - t) > tolerance) {
    return { ok: false, reason: "timestamp_outside_tolerance" };
  }
  const expected = Buffer.from(
    crypto.createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex"),
    "utf8",
  );
  const ok = signatures.some((sig) => {
    const given = Buffer.from(sig, "utf8");
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  return ok ? { ok: true, reason: null } : { ok: false, reason: "signature_mismatch" };
}

export function verifyLaunchPost(rawBody, secret, headers) {
  const signature = crypto.createHmac("sha256", secret).update(rawBody).digest("hex");
  return signature === headers["x-cstar-signature"];
}

export function signDocumented(rawBody, secret, t) {
  const v1 = crypto.createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const cases = JSON.parse(await readStdin());
const results = cases.map((c) => {
  // The raw body as a web framework hands it over: the request bytes decoded as UTF-8 text.
  const rawBody = Buffer.from(c.body_b64, "base64").toString("utf8");
  return {
    documented: verifyDocumented(rawBody, c.x_signature, c.secret, c.now),
    launch_post: verifyLaunchPost(rawBody, c.secret, { "x-cstar-signature": c.x_cstar_signature }),
    node_header: signDocumented(rawBody, c.secret, c.t),
  };
});
process.stdout.write(JSON.stringify(results));
