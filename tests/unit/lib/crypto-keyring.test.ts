import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createKeyring,
  DecryptionError,
  gcmDecrypt,
  gcmEncrypt,
  parseKeys,
} from "@/lib/crypto/keyring";

const hex = (s: string) => Buffer.from(s, "hex");

describe("AES-256-GCM (McGrew & Viega GCM spec, test case 16)", () => {
  const key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const iv = hex("cafebabefacedbaddecaf888");
  const plaintext = hex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
  );
  const aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const ciphertext = hex(
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
  );
  const tag = hex("76fc6ece0f4e1768cddf8853bb2d551b");

  it("encrypts to the published ciphertext and tag", () => {
    const out = gcmEncrypt(key, iv, plaintext, aad);
    expect(out.ciphertext.toString("hex")).toBe(ciphertext.toString("hex"));
    expect(out.tag.toString("hex")).toBe(tag.toString("hex"));
  });

  it("decrypts the published ciphertext and rejects a flipped bit", () => {
    expect(gcmDecrypt(key, iv, ciphertext, tag, aad).equals(plaintext)).toBe(true);
    const bad = Buffer.from(ciphertext);
    bad[0] = (bad[0] ?? 0) ^ 1;
    expect(() => gcmDecrypt(key, iv, bad, tag, aad)).toThrow();
  });
});

const k = () => randomBytes(32).toString("base64");
const place = { organizationId: "org-1", table: "integrations", rowId: "row-1", column: "token" };

describe("keyring", () => {
  it("round-trips any text, with a fresh IV each time", () => {
    const ring = createKeyring(parseKeys(`k1:${k()}`));
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(ring.decrypt(ring.encrypt(text, place), place)).toBe(text);
      }),
    );
    expect(ring.encrypt("same", place)).not.toBe(ring.encrypt("same", place));
  });

  it("binds the ciphertext to its organization, table, row and column", () => {
    const ring = createKeyring(parseKeys(`k1:${k()}`));
    const sealed = ring.encrypt("ghp_secret", place);
    for (const other of [
      { ...place, organizationId: "org-2" },
      { ...place, table: "webhooks" },
      { ...place, rowId: "row-2" },
      { ...place, column: "refresh_token" },
    ]) {
      expect(() => ring.decrypt(sealed, other)).toThrow(DecryptionError);
    }
  });

  it("rotates: the new key encrypts, the old one still decrypts until dropped", () => {
    const old = k();
    const before = createKeyring(parseKeys(`k1:${old}`));
    const sealed = before.encrypt("token", place);
    const after = createKeyring(parseKeys(`k2:${k()},k1:${old}`));
    expect(after.activeKeyId).toBe("k2");
    expect(after.needsRotation(sealed)).toBe(true);
    expect(after.decrypt(sealed, place)).toBe("token");
    const resealed = after.encrypt(after.decrypt(sealed, place), place);
    expect(after.needsRotation(resealed)).toBe(false);
    const dropped = createKeyring(parseKeys(`k2:${k()}`));
    expect(() => dropped.decrypt(sealed, place)).toThrow(/unknown key k1/);
  });

  it("refuses tampered, truncated or foreign-format values", () => {
    const ring = createKeyring(parseKeys(`k1:${k()}`));
    const sealed = ring.encrypt("value", place);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 0x80;
    const tampered = [parts[0], parts[1], parts[2], body.toString("base64url")].join(".");
    expect(() => ring.decrypt(tampered, place)).toThrow(DecryptionError);
    expect(() => ring.decrypt("v1.k1.aa.bb", place)).toThrow(DecryptionError);
    expect(() => ring.decrypt("plaintext", place)).toThrow(/unknown format/);
  });

  it("validates the key list", () => {
    expect(() => parseKeys("")).toThrow(/no keys/);
    expect(() => parseKeys("k1:c2hvcnQ=")).toThrow(/32 bytes/);
    expect(() => parseKeys(`bad id:${k()}`)).toThrow(/bad key id/);
    const key = k();
    expect(() => parseKeys(`k1:${key},k1:${key}`)).toThrow(/duplicate/);
  });
});
