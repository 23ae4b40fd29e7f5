// Verifies a c2sp.org/tlog-proof@v1 receipt in the browser, with Web Crypto only:
// the donor does not have to trust the server that served this page's data.
"use strict";
(function () {
  const enc = new TextEncoder();
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let i = 0;
    for (const p of parts) { out.set(p, i); i += p.length; }
    return out;
  };
  const sha256 = async (data) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  const leafHash = (data) => sha256(concat(new Uint8Array([0]), data));
  const nodeHash = (l, r) => sha256(concat(new Uint8Array([1]), l, r));
  const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const hex = (a) => Array.from(a, (x) => x.toString(16).padStart(2, "0")).join("");
  const fromHex = (h) => Uint8Array.from(h.match(/../g) || [], (x) => parseInt(x, 16));
  // Failures carry a code; the page's own language says what it means (see verify_texts.py).
  class ReceiptError extends Error {
    constructor(code, params) { super(code); this.code = code; this.params = params || {}; }
  }
  const fail = (code, params) => { throw new ReceiptError(code, params); };

  async function verifyInclusion(leaf, index, size, proof, root) {
    // RFC 9162 section 2.1.3.2, with BigInt so that trees beyond 2^53 also work.
    let fn = BigInt(index), sn = BigInt(size) - 1n, r = leaf;
    if (fn > sn) fail("outside");
    for (const p of proof) {
      if (sn === 0n) fail("proof_length");
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        if ((fn & 1n) === 0n) { while (fn !== 0n && (fn & 1n) === 0n) { fn >>= 1n; sn >>= 1n; } }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n; sn >>= 1n;
    }
    if (sn !== 0n) fail("proof_length");
    if (!equal(r, root)) fail("root_mismatch");
  }

  function parseReceipt(text) {
    const [head, ...rest] = text.replace(/\r\n/g, "\n").split("\n\n");
    const lines = head.split("\n");
    if (lines[0] !== "c2sp.org/tlog-proof@v1") fail("not_receipt");
    let pos = 1, extra = null;
    if ((lines[pos] || "").startsWith("extra ")) { extra = JSON.parse(new TextDecoder().decode(b64(lines[pos].slice(6)))); pos++; }
    if (!(lines[pos] || "").startsWith("index ")) fail("no_index");
    const index = lines[pos].slice(6);
    const proof = lines.slice(pos + 1).filter((l) => l).map(b64);
    const note = rest.join("\n\n");
    return { extra, index, proof, note };
  }

  async function verifySignature(note, vkey) {
    // c2sp.org/signed-note with an Ed25519 key: name+hexid+base64(0x01||key)
    const v = vkey.trim(), a = v.indexOf("+"), b = v.indexOf("+", a + 1);
    if (a < 1 || b < 0) fail("bad_key");
    const name = v.slice(0, a), idHex = v.slice(a + 1, b), keyB64 = v.slice(b + 1);
    const cut = note.lastIndexOf("\n\n");
    const body = note.slice(0, cut + 1);
    const sigs = note.slice(cut + 2).split("\n").filter((l) => l);
    const raw = b64(keyB64);
    for (const line of sigs) {
      const [, signer, blobB64] = line.split(" ");
      const blob = b64(blobB64);
      if (signer !== name || hex(blob.slice(0, 4)) !== idHex) continue;
      let key;
      try {
        key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
      } catch (e) {
        return { body, signature: "unsupported" };
      }
      const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, blob.slice(4), enc.encode(body));
      if (!ok) fail("bad_signature");
      return { body, signature: "ok" };
    }
    fail("no_signature");
  }

  async function verify(text, vkey) {
    const receipt = parseReceipt(text);
    const { body, signature } = await verifySignature(receipt.note, vkey);
    const [origin, size, rootB64] = body.split("\n");
    const entry = enc.encode(receipt.extra.entry);
    await verifyInclusion(await leafHash(entry), receipt.index, size, receipt.proof, b64(rootB64));
    const committed = JSON.parse(receipt.extra.entry).commitments || {};
    for (const [label, o] of Object.entries(receipt.extra.openings || {})) {
      const key = await crypto.subtle.importKey("raw", enc.encode(origin), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const msg = concat(fromHex(o.opening), enc.encode(label), new Uint8Array([0]), enc.encode(o.value));
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, msg));
      if (hex(mac) !== committed[label]) fail("commitment", { label });
    }
    const opened = Object.keys(receipt.extra.openings || {});
    return { origin, size, index: receipt.index, signature, opened, entry: JSON.parse(receipt.extra.entry) };
  }

  // "¥1,234.56" from integer fen, without floats.
  function yuan(fen) {
    if (!Number.isInteger(fen)) return "—";
    const sign = fen < 0 ? "-" : "", n = Math.abs(fen);
    const whole = String(Math.floor(n / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + "¥" + whole + "." + String(n % 100).padStart(2, "0");
  }

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  function card(t, r) {
    const e = r.entry, box = el("div", "receipt-card ok");
    box.append(el("h2", "", t.ok));
    box.append(el("p", "", t.okDetail.replace("{index}", r.index).replace("{size}", r.size)));
    if (r.signature !== "ok") box.append(el("p", "muted", t.nosig));
    const facts = el("dl", "facts");
    const add = (label, value) => {
      if (value === undefined || value === null || value === "") return;
      facts.append(el("dt", "", label), el("dd", "", String(value)));
    };
    add(t.labels.kind, t.kinds[e.kind] || e.kind);
    if (e.amount_fen !== undefined) add(t.labels.amount, yuan(e.amount_fen));
    // The entry's own local time as written ("2026-12-02T09:15:00+08:00"): date and minute.
    add(t.labels.at, typeof e.at === "string" ? e.at.slice(0, 16).replace("T", " ") : e.at);
    add(t.labels.campaign, e.campaign);
    add(t.labels.programme, e.programme);
    add(t.labels.index, r.index);
    add(t.labels.size, r.size);
    add(t.labels.origin, r.origin);
    if (r.opened.length) add(t.labels.opened, r.opened.map((l) => t.commitments[l] || l).join(", "));
    box.append(facts);
    const details = el("details");
    details.append(el("summary", "", t.json), el("pre", "", JSON.stringify(e, null, 2)));
    box.append(details);
    return box;
  }

  function failure(t, e) {
    const box = el("div", "receipt-card bad");
    box.append(el("h2", "", t.bad));
    let text = t.errors[e && e.code] || t.errors.malformed;
    for (const [k, v] of Object.entries((e && e.params) || {})) text = text.replace("{" + k + "}", v);
    box.append(el("p", "", text));
    return box;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("verify-form");
    const texts = document.getElementById("verify-texts");
    if (!form || !texts) return;
    const t = JSON.parse(texts.textContent);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const out = document.getElementById("verify-result");
      out.className = "verify-result";
      out.replaceChildren();
      try {
        const r = await verify(form.receipt.value, form.vkey.value);
        out.classList.add("ok");
        out.append(card(t, r));
      } catch (e) {
        out.classList.add("bad");
        out.append(failure(t, e));
      }
    });
  });
  window.tuopinVerifyReceipt = verify;
})();
