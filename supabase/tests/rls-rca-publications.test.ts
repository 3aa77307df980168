import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld, HASH } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.rca_publications: members read the publish history (bugs.read); only the
 * publishing job (service role) writes it. (ticket, version hash) is unique: the exactly-once key.
 */

let world: FixWorld;
beforeAll(async () => {
  world = await buildFixWorld("rcapub");
});
afterAll(closeDb);
const w = () => world;

const INSERT = `insert into public.rca_publications
                  (organization_id, rca_id, ticket_id, version, version_hash, language)
                values ($1, $2, $3, 1, $4, 'en')`;

describe("rls: rca_publications", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's publish history",
      (x) => ({
        text: "select id, version, language, status from public.rca_publications where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "ok:1",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "record a publication directly",
      (x) => ({ text: INSERT, params: [x.orgA.id, x.fa.rcaId, x.a.ticketId, "b".repeat(64)] }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "rewrite a publication's hash",
      (x) => ({
        text: "update public.rca_publications set version_hash = $2 where id = $1",
        params: [x.fa.publicationId, "c".repeat(64)],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "erase a publication so it posts again",
      (x) => ({
        text: "delete from public.rca_publications where id = $1",
        params: [x.fa.publicationId],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("the same version is recorded once per ticket: a second attempt conflicts", async () => {
      await expect(
        asSuperuser(INSERT, [world.orgA.id, world.fa.rcaId, world.a.ticketId, HASH]),
      ).rejects.toMatchObject({ code: "23505" });
      // the job's claim: on conflict do nothing returns no row, so nothing is sent
      const claimed = await asSuperuser(
        `${INSERT} on conflict (ticket_id, version_hash) do nothing returning id`,
        [world.orgA.id, world.fa.rcaId, world.a.ticketId, HASH],
      );
      expect(claimed).toEqual([]);
    });

    it("a refused post may be retried; a sent one is final", async () => {
      const [row] = await asSuperuser<{ id: string }>(`${INSERT} returning id`, [
        world.orgA.id,
        world.fa.rcaId,
        world.a.ticketId,
        "e".repeat(64),
      ]);
      await asSuperuser(
        "update public.rca_publications set status = 'failed', last_error = 'HTTP 422' where id = $1",
        [row?.id],
      );
      await asSuperuser("update public.rca_publications set status = 'sending' where id = $1", [
        row?.id,
      ]);
      await asSuperuser(
        "update public.rca_publications set status = 'sent', sent_at = now(), external_id = '991' where id = $1",
        [row?.id],
      );
      await expect(
        asSuperuser(
          "update public.rca_publications set status = 'sending', sent_at = null where id = $1",
          [row?.id],
        ),
      ).rejects.toMatchObject({ code: "PT422" });
    });

    it("records a sent outcome once and never rewrites what was posted", async () => {
      await expect(
        asSuperuser(
          "update public.rca_publications set status = 'failed', sent_at = null where id = $1",
          [world.fa.publicationId],
        ),
      ).rejects.toMatchObject({ code: "PT422" });
      await expect(
        asSuperuser("update public.rca_publications set language = 'de' where id = $1", [
          world.fa.publicationId,
        ]),
      ).rejects.toMatchObject({ code: "PT422" });
    });

    it("a publication belongs to a ticket of the RCA's workspace", async () => {
      await expect(
        asSuperuser(INSERT, [world.orgA.id, world.fa.rcaId, world.b.ticketId, "d".repeat(64)]),
      ).rejects.toMatchObject({ code: "23503" });
    });
  });
});
