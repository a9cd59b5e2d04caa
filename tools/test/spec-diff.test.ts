import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { diffSpecs, formatChanges } from "../spec-diff.mjs";

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely, like parsed YAML.
type Doc = Record<string, any>;

/** A small spec: one create operation, one read operation, shared schemas. */
function baseSpec(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {
      "/v1/things": {
        post: {
          operationId: "createThing",
          parameters: [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string" } }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/ThingRequest" } } },
          },
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
            "400": { description: "bad", content: { "application/json": { schema: { type: "object" } } } },
          },
        },
      },
      "/v1/things/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: {
          operationId: "getThing",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        ThingRequest: {
          type: "object",
          additionalProperties: false,
          required: ["url"],
          properties: {
            url: { type: "string", maxLength: 2048 },
            threshold: { type: "integer", minimum: 120, maximum: 200, default: 170 },
            mode: { type: "string", enum: ["fast", "slow"] },
          },
        },
        Thing: {
          type: "object",
          required: ["id", "status"],
          properties: {
            id: { type: "string" },
            status: { $ref: "#/components/schemas/Status" },
            usage: { type: "object", properties: { credits: { type: "number" } } },
            results: { type: "array", items: { type: "string" } },
          },
        },
        Status: { type: "string", enum: ["pending", "completed", "failed"] },
      },
    },
  };
}

function change(doc: (d: Doc) => void) {
  const before = baseSpec();
  const after = baseSpec();
  doc(after);
  return diffSpecs(before, after);
}

const schemas = (d: Doc) => d.components.schemas;

describe("diffSpecs", () => {
  it("reports nothing for identical documents, and ignores descriptions and examples", () => {
    expect(diffSpecs(baseSpec(), baseSpec())).toEqual([]);
    expect(
      change((d) => {
        schemas(d).Thing.description = "new words";
        schemas(d).ThingRequest.properties.url.examples = ["https://example.com"];
      }),
    ).toEqual([]);
  });

  it("reports added and removed operations; removal is breaking", () => {
    const changes = change((d) => {
      delete d.paths["/v1/things/{id}"];
      d.paths["/v1/other"] = { get: { operationId: "other", responses: {} } };
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: "operation-removed", where: "GET /v1/things/{id}", breaking: true }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: "operation-added", where: "GET /v1/other", breaking: false }),
    );
  });

  it("treats a new optional request field as non-breaking and a new required one as breaking", () => {
    const optional = change((d) => {
      schemas(d).ThingRequest.properties.seed = { type: "integer" };
    });
    expect(optional).toEqual([
      expect.objectContaining({
        kind: "optional-field-added",
        breaking: false,
        where: "POST /v1/things › request body (application/json) › seed",
      }),
    ]);
    const required = change((d) => {
      schemas(d).ThingRequest.properties.seed = { type: "integer" };
      schemas(d).ThingRequest.required.push("seed");
    });
    expect(required).toEqual([expect.objectContaining({ kind: "required-field-added", breaking: true })]);
  });

  it("reports a removed response field as breaking, once per operation that returns it", () => {
    const changes = change((d) => {
      delete schemas(d).Thing.properties.usage;
    });
    expect(changes.map((c) => [c.kind, c.where, c.breaking])).toEqual([
      ["field-removed", "POST /v1/things › 200 response (application/json) › usage", true],
      ["field-removed", "GET /v1/things/{id} › 200 response (application/json) › usage", true],
    ]);
  });

  it("reports required-ness by direction", () => {
    const changes = change((d) => {
      schemas(d).ThingRequest.required = []; // url optional in the request: fine
      schemas(d).Thing.required = ["id"]; // status may be missing in the response: breaking
    });
    const byKind = Object.fromEntries(changes.map((c) => [`${c.kind} ${c.where.split(" › ").pop()}`, c.breaking]));
    expect(byKind).toMatchObject({ "field-now-optional url": false, "field-now-optional status": true });
  });

  it("reports enum values: removed breaks both ways, added breaks responses only", () => {
    const changes = change((d) => {
      schemas(d).ThingRequest.properties.mode.enum = ["fast", "balanced"];
      schemas(d).Status.enum = ["pending", "completed", "failed", "cancelled"];
    });
    const summary = changes.map((c) => `${c.breaking ? "B" : "-"} ${c.kind} ${c.message.split(":")[0]}`);
    expect(summary).toContain('- enum-value-added enum value "balanced" added');
    expect(summary).toContain('B enum-value-removed enum value "slow" removed');
    expect(summary).toContain('B enum-value-added enum value "cancelled" added');
  });

  it("reports narrowed request types and widened response types as breaking", () => {
    const changes = change((d) => {
      schemas(d).Thing.properties.usage.properties.credits.type = "integer"; // response narrowed: fine
      schemas(d).Thing.properties.id.type = ["string", "null"]; // response widened: breaking
      schemas(d).ThingRequest.properties.url.type = ["string", "null"]; // request widened: fine
      schemas(d).ThingRequest.properties.threshold.type = "string"; // request changed: breaking
    });
    const byField = Object.fromEntries(changes.map((c) => [c.where.split(" › ").pop(), [c.kind, c.breaking]]));
    expect(byField.credits).toEqual(["type-narrowed", false]);
    expect(byField.id).toEqual(["type-widened", true]);
    expect(byField.url).toEqual(["type-widened", false]);
    expect(byField.threshold).toEqual(["type-changed", true]);
  });

  it("reports tightened request constraints as breaking and default changes as information", () => {
    const changes = change((d) => {
      schemas(d).ThingRequest.properties.url.maxLength = 1024;
      schemas(d).ThingRequest.properties.threshold.minimum = 100;
      schemas(d).ThingRequest.properties.threshold.default = 160;
    });
    expect(changes.map((c) => [c.kind, c.breaking])).toEqual([
      ["constraint-tightened", true],
      ["constraint-loosened", false],
      ["default-changed", false],
    ]);
  });

  it("reports parameters: new required ones break, path-level parameters count", () => {
    const changes = change((d) => {
      d.paths["/v1/things"].post.parameters.push({
        name: "X-Region",
        in: "header",
        required: true,
        schema: { type: "string" },
      });
      d.paths["/v1/things/{id}"].parameters[0].schema = { type: "string", pattern: "^task-" };
    });
    expect(changes).toContainEqual(
      expect.objectContaining({
        kind: "required-parameter-added",
        where: "POST /v1/things › header X-Region parameter",
        breaking: true,
      }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({
        kind: "constraint-tightened",
        where: "GET /v1/things/{id} › path id parameter",
        breaking: true,
      }),
    );
  });

  it("reports removed component schemas, whose generated types SDK code names", () => {
    const changes = change((d) => {
      schemas(d).Usage = schemas(d).Thing.properties.usage;
      delete schemas(d).Status;
      schemas(d).Thing.properties.status = { type: "string", enum: ["pending", "completed", "failed"] };
    });
    expect(changes.map((c) => [c.kind, c.where, c.breaking])).toEqual([
      ["schema-removed", "components.schemas.Status", true],
      ["schema-added", "components.schemas.Usage", false],
    ]);
  });

  it("follows allOf, arrays and cyclic references without looping", () => {
    const changes = change((d) => {
      // Thing's own fields move into Base (one of them retyped), and Thing refers to itself.
      const base = schemas(d).Thing;
      base.properties.results.items = { type: "integer" };
      schemas(d).Base = base;
      schemas(d).Thing = {
        allOf: [{ $ref: "#/components/schemas/Base" }],
        properties: { self: { $ref: "#/components/schemas/Thing" } },
      };
    });
    const kinds = changes.map((c) => `${c.kind} ${c.where.split(" › ").pop()}`);
    expect(kinds).toContain("type-changed results[]");
    expect(kinds).toContain("optional-field-added self");
    expect(kinds).toContain("schema-added components.schemas.Base");
  });

  it("finds the real spec's changes when the SDK's `usage` field disappears", () => {
    const specPath = fileURLToPath(new URL("../../spec/videoretalk.openapi.yaml", import.meta.url));
    const spec = parse(readFileSync(specPath, "utf8"));
    const next = structuredClone(spec);
    delete next.components.schemas.TaskDetailResponse.properties.usage;
    const changes = diffSpecs(spec, next);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.kind === "field-removed" && c.breaking && c.where.endsWith("› usage"))).toBe(true);
    expect(changes.map((c) => c.where)).toContain("GET /v1/tasks/{task_id} › 200 response (application/json) › usage");
  });
});

describe("formatChanges", () => {
  it("lists breaking changes first and ends with the counts", () => {
    const text = formatChanges(
      change((d) => {
        schemas(d).ThingRequest.properties.seed = { type: "integer" };
        delete schemas(d).Thing.properties.results;
      }),
    );
    expect(text.indexOf("BREAKING")).toBeLessThan(text.indexOf("Non-breaking"));
    expect(text).toContain("✗ GET /v1/things/{id} › 200 response (application/json) › results: response field removed");
    expect(text).toContain("✓ POST /v1/things › request body (application/json) › seed: optional request field added");
    expect(text.trim().split("\n").pop()).toBe("2 breaking, 1 non-breaking change(s).");
  });

  it("says so when nothing changed", () => {
    expect(formatChanges([])).toMatch(/^No contract changes/);
  });
});
