// Compares two parsed OpenAPI 3.x documents and lists what changed in the contract, marking the
// changes that break existing clients. Pure: no I/O, so it is unit-tested on small documents
// (tools/test/spec-diff.test.ts) and used by `pnpm spec:update`.
//
// Whether a change breaks depends on the direction data flows:
//   request  (the SDK sends it):  a removed field, parameter or enum value, a new required field
//            or parameter, optional → required, a narrowed type (e.g. number → integer, a type
//            dropped from a union) or a tightened constraint (maxLength down, minimum up, a new
//            pattern, additionalProperties turned off) can make valid calls invalid.
//   response (the SDK reads it): a removed field, required → optional, a widened type (a new
//            type in the union, e.g. null), a new enum value (exhaustive switches and
//            `satisfies Record<TaskStatus, …>` no longer cover every case) or a removed one (code
//            that names it no longer compiles) can break code that reads it.
// Removed operations and removed component schemas always break: the generated
// `paths[...]` / `components["schemas"][...]` types that SDK code names disappear.
// Descriptions, examples and summaries are ignored.

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const CONSTRAINTS = {
  // name: which way makes a request stricter ("up" = a larger value is stricter)
  minLength: "up",
  maxLength: "down",
  minimum: "up",
  maximum: "down",
  exclusiveMinimum: "up",
  exclusiveMaximum: "down",
  minItems: "up",
  maxItems: "down",
  minProperties: "up",
  maxProperties: "down",
  multipleOf: "changed",
  pattern: "changed",
  format: "changed",
  const: "changed",
};

/**
 * @typedef {object} SpecChange
 * @property {string} kind       machine-readable kind, e.g. "field-removed", "enum-value-added"
 * @property {boolean} breaking  whether existing clients can break
 * @property {string} where      e.g. "POST /v1/videos/generations › request body › callback_url"
 * @property {string} message    one human sentence
 */

/** Resolves a local `$ref` (`#/components/...`) against its document; other values pass through. */
function resolve(doc, value, seen = new Set()) {
  let current = value;
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (!ref.startsWith("#/") || seen.has(ref)) return current;
    seen.add(ref);
    let target = doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      target = target?.[key];
    }
    if (target === undefined) return current;
    current = target;
  }
  return current;
}

function typeSet(schema) {
  const types = new Set();
  if (Array.isArray(schema.type)) for (const t of schema.type) types.add(t);
  else if (typeof schema.type === "string") types.add(schema.type);
  else if (schema.properties || schema.additionalProperties !== undefined) types.add("object");
  else if (schema.items) types.add("array");
  if (schema.nullable === true) types.add("null");
  return types;
}

/** Whether every value of type set `a` is also allowed by type set `b` (integer ⊂ number). */
function typesWithin(a, b) {
  if (b.size === 0) return true; // no type = anything
  if (a.size === 0) return false;
  return [...a].every((t) => b.has(t) || (t === "integer" && b.has("number")));
}

function describeTypes(types) {
  return types.size ? [...types].join(" | ") : "any";
}

/** Merges `allOf` members into one schema (properties, required, constraints), resolving refs. */
function flatten(doc, schema) {
  const resolved = resolve(doc, schema) ?? {};
  if (!Array.isArray(resolved.allOf)) return resolved;
  const merged = { ...resolved, allOf: undefined, properties: { ...(resolved.properties ?? {}) } };
  const required = new Set(resolved.required ?? []);
  for (const member of resolved.allOf) {
    const part = flatten(doc, member);
    Object.assign(merged.properties, part.properties ?? {});
    for (const name of part.required ?? []) required.add(name);
    for (const [key, value] of Object.entries(part)) {
      if (
        !["properties", "required", "description", "title", "examples", "example"].includes(key) &&
        merged[key] === undefined
      ) {
        merged[key] = value;
      }
    }
  }
  merged.required = [...required];
  if (Object.keys(merged.properties).length === 0) delete merged.properties;
  return merged;
}

function joinPath(base, part) {
  return base ? `${base} › ${part}` : part;
}

/**
 * Compares two schemas in one direction and pushes changes.
 * @param {{ oldDoc: any, newDoc: any, out: SpecChange[], seen: Set<string> }} ctx
 * @param {"request" | "response"} direction
 */
function compareSchema(ctx, oldRaw, newRaw, where, direction) {
  const { oldDoc, newDoc, out } = ctx;
  const refKey = `${oldRaw?.$ref ?? ""}|${newRaw?.$ref ?? ""}|${direction}|${where.split(" › ")[0]}`;
  if (oldRaw?.$ref && newRaw?.$ref) {
    if (ctx.seen.has(refKey)) return;
    ctx.seen.add(refKey);
  }
  const oldSchema = flatten(oldDoc, oldRaw);
  const newSchema = flatten(newDoc, newRaw);
  const request = direction === "request";
  const push = (kind, breaking, message) => out.push({ kind, breaking, where, message });

  // Types
  const oldTypes = typeSet(oldSchema);
  const newTypes = typeSet(newSchema);
  if (describeTypes(oldTypes) !== describeTypes(newTypes)) {
    const narrowed = !typesWithin(oldTypes, newTypes);
    const widened = !typesWithin(newTypes, oldTypes);
    const breaking = request ? narrowed : widened;
    const how = narrowed && widened ? "changed" : narrowed ? "narrowed" : "widened";
    push(`type-${how}`, breaking, `type ${how}: ${describeTypes(oldTypes)} → ${describeTypes(newTypes)}`);
  }

  // Enums
  if (Array.isArray(oldSchema.enum) || Array.isArray(newSchema.enum)) {
    const before = new Set((oldSchema.enum ?? []).map((v) => JSON.stringify(v)));
    const after = new Set((newSchema.enum ?? []).map((v) => JSON.stringify(v)));
    if (!Array.isArray(oldSchema.enum)) {
      push("enum-added", request, `now restricted to ${[...after].join(", ")}`);
    } else if (!Array.isArray(newSchema.enum)) {
      push("enum-removed", !request, `no longer restricted to ${[...before].join(", ")}`);
    } else {
      for (const value of after) {
        if (!before.has(value)) {
          push(
            "enum-value-added",
            !request,
            request
              ? `enum value ${value} added`
              : `enum value ${value} added: code that handles every value must handle it`,
          );
        }
      }
      for (const value of before) {
        // Also breaking in responses: the generated union loses the value, so code that names
        // it (a comparison, a `Record<TaskStatus, …>` key) stops compiling.
        if (!after.has(value)) {
          push(
            "enum-value-removed",
            true,
            request
              ? `enum value ${value} removed`
              : `enum value ${value} removed: code that names it no longer compiles`,
          );
        }
      }
    }
  }

  // Constraints
  for (const [name, stricter] of Object.entries(CONSTRAINTS)) {
    const a = oldSchema[name];
    const b = newSchema[name];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    let tightened;
    if (stricter === "changed" || typeof a !== typeof b) tightened = b !== undefined;
    else if (stricter === "up") tightened = b > a;
    else tightened = b < a;
    const text = `${name} ${a === undefined ? "added" : b === undefined ? "removed" : "changed"}: ${JSON.stringify(a) ?? "none"} → ${JSON.stringify(b) ?? "none"}`;
    push(`constraint-${tightened ? "tightened" : "loosened"}`, request && tightened, text);
  }
  if (oldSchema.default !== undefined || newSchema.default !== undefined) {
    if (JSON.stringify(oldSchema.default) !== JSON.stringify(newSchema.default)) {
      push(
        "default-changed",
        false,
        `default ${JSON.stringify(oldSchema.default) ?? "none"} → ${JSON.stringify(newSchema.default) ?? "none"}`,
      );
    }
  }

  // Object properties
  const oldProps = oldSchema.properties ?? {};
  const newProps = newSchema.properties ?? {};
  const oldRequired = new Set(oldSchema.required ?? []);
  const newRequired = new Set(newSchema.required ?? []);
  for (const name of Object.keys(oldProps)) {
    const at = joinPath(where, name);
    if (!(name in newProps)) {
      out.push({
        kind: "field-removed",
        breaking: true,
        where: at,
        message: request ? "request field removed (calls that send it may be refused)" : "response field removed",
      });
      continue;
    }
    if (oldRequired.has(name) && !newRequired.has(name)) {
      out.push({
        kind: "field-now-optional",
        breaking: !request,
        where: at,
        message: request ? "request field no longer required" : "response field may now be missing (was required)",
      });
    } else if (!oldRequired.has(name) && newRequired.has(name)) {
      out.push({
        kind: "field-now-required",
        breaking: request,
        where: at,
        message: request ? "request field now required" : "response field now always present",
      });
    }
    compareSchema(ctx, oldProps[name], newProps[name], at, direction);
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) continue;
    const required = newRequired.has(name);
    out.push({
      kind: required ? "required-field-added" : "optional-field-added",
      breaking: request && required,
      where: joinPath(where, name),
      message: `${required ? "required" : "optional"} ${request ? "request" : "response"} field added`,
    });
  }
  const oldExtra = oldSchema.additionalProperties;
  const newExtra = newSchema.additionalProperties;
  if (oldExtra !== undefined || newExtra !== undefined) {
    const oldOpen = oldExtra !== false;
    const newOpen = newExtra !== false;
    if (oldOpen && !newOpen) push("additional-properties-closed", request, "additionalProperties turned off");
    else if (!oldOpen && newOpen) push("additional-properties-opened", !request, "additionalProperties allowed");
    if (typeof oldExtra === "object" && typeof newExtra === "object") {
      compareSchema(ctx, oldExtra, newExtra, joinPath(where, "{key}"), direction);
    }
  }

  // Arrays
  if (oldSchema.items && newSchema.items) compareSchema(ctx, oldSchema.items, newSchema.items, `${where}[]`, direction);

  // Unions
  for (const keyword of ["oneOf", "anyOf"]) {
    const a = oldSchema[keyword];
    const b = newSchema[keyword];
    if (!Array.isArray(a) && !Array.isArray(b)) continue;
    const before = Array.isArray(a) ? a.length : 0;
    const after = Array.isArray(b) ? b.length : 0;
    if (before === after) {
      for (let i = 0; i < before; i += 1) compareSchema(ctx, a[i], b[i], `${where} (${keyword}[${i}])`, direction);
    } else {
      const fewer = after < before;
      push(`${keyword}-changed`, request ? fewer : !fewer, `${keyword} variants: ${before} → ${after}`);
    }
  }
}

function operations(doc) {
  const ops = new Map();
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(doc, rawItem) ?? {};
    for (const method of METHODS) {
      if (item[method]) ops.set(`${method.toUpperCase()} ${path}`, { op: item[method], shared: item.parameters ?? [] });
    }
  }
  for (const [name, rawItem] of Object.entries(doc.webhooks ?? {})) {
    const item = resolve(doc, rawItem) ?? {};
    for (const method of METHODS) {
      if (item[method])
        ops.set(`webhook ${name} (${method.toUpperCase()})`, { op: item[method], shared: [], webhook: true });
    }
  }
  return ops;
}

function parameters(doc, entry) {
  const params = new Map();
  for (const raw of [...entry.shared, ...(entry.op.parameters ?? [])]) {
    const param = resolve(doc, raw);
    if (param?.name && param.in) params.set(`${param.in} ${param.name}`, param);
  }
  return params;
}

function content(doc, holder) {
  return resolve(doc, holder)?.content ?? {};
}

function compareOperation(ctx, key, before, after) {
  const { oldDoc, newDoc, out } = ctx;
  // A webhook's payload flows to us (like a response); our answer to it flows back.
  const bodyDirection = before.webhook ? "response" : "request";

  const oldParams = parameters(oldDoc, before);
  const newParams = parameters(newDoc, after);
  for (const [name, param] of oldParams) {
    const where = `${key} › ${name} parameter`;
    const next = newParams.get(name);
    if (!next) {
      out.push({ kind: "parameter-removed", breaking: true, where, message: "parameter removed" });
      continue;
    }
    if (!param.required && next.required) {
      out.push({ kind: "parameter-now-required", breaking: true, where, message: "parameter now required" });
    } else if (param.required && !next.required) {
      out.push({ kind: "parameter-now-optional", breaking: false, where, message: "parameter no longer required" });
    }
    compareSchema(ctx, param.schema ?? {}, next.schema ?? {}, where, "request");
  }
  for (const [name, param] of newParams) {
    if (oldParams.has(name)) continue;
    out.push({
      kind: param.required ? "required-parameter-added" : "optional-parameter-added",
      breaking: Boolean(param.required),
      where: `${key} › ${name} parameter`,
      message: `${param.required ? "required" : "optional"} parameter added`,
    });
  }

  const oldBody = before.op.requestBody ? resolve(oldDoc, before.op.requestBody) : undefined;
  const newBody = after.op.requestBody ? resolve(newDoc, after.op.requestBody) : undefined;
  if (oldBody && !newBody) {
    out.push({
      kind: "request-body-removed",
      breaking: true,
      where: `${key} › request body`,
      message: "request body removed",
    });
  } else if (!oldBody && newBody) {
    out.push({
      kind: "request-body-added",
      breaking: Boolean(newBody.required),
      where: `${key} › request body`,
      message: `${newBody.required ? "required" : "optional"} request body added`,
    });
  } else if (oldBody && newBody) {
    if (!oldBody.required && newBody.required) {
      out.push({
        kind: "request-body-now-required",
        breaking: bodyDirection === "request",
        where: `${key} › request body`,
        message: "request body now required",
      });
    }
    compareContent(
      ctx,
      content(oldDoc, oldBody),
      content(newDoc, newBody),
      `${key} › ${before.webhook ? "payload" : "request body"}`,
      bodyDirection,
    );
  }

  const oldResponses = before.op.responses ?? {};
  const newResponses = after.op.responses ?? {};
  for (const status of Object.keys(oldResponses)) {
    const where = `${key} › ${status} response`;
    if (!(status in newResponses)) {
      // SDK code names the success types (`responses[200]`); error statuses map to error classes.
      const success = /^2/.test(status);
      out.push({
        kind: "response-removed",
        breaking: success,
        where,
        message: success
          ? "success response removed (its generated type disappears)"
          : "error response no longer documented",
      });
      continue;
    }
    const direction = before.webhook ? "request" : "response";
    compareContent(ctx, content(oldDoc, oldResponses[status]), content(newDoc, newResponses[status]), where, direction);
  }
  for (const status of Object.keys(newResponses)) {
    if (status in oldResponses) continue;
    const success = /^2/.test(status);
    out.push({
      kind: "response-added",
      breaking: false,
      where: `${key} › ${status} response`,
      message: success ? "new success response documented" : "new error response documented",
    });
  }
}

function compareContent(ctx, oldContent, newContent, where, direction) {
  for (const type of Object.keys(oldContent)) {
    const at = `${where} (${type})`;
    if (!(type in newContent)) {
      ctx.out.push({
        kind: "media-type-removed",
        breaking: true,
        where: at,
        message: `${type} no longer ${direction === "request" ? "accepted" : "returned"}`,
      });
      continue;
    }
    compareSchema(ctx, oldContent[type].schema ?? {}, newContent[type].schema ?? {}, at, direction);
  }
  for (const type of Object.keys(newContent)) {
    if (type in oldContent) continue;
    ctx.out.push({
      kind: "media-type-added",
      breaking: false,
      where: `${where} (${type})`,
      message: `${type} now ${direction === "request" ? "accepted" : "returned"}`,
    });
  }
}

/**
 * Lists the contract changes between two parsed OpenAPI documents.
 * @returns {SpecChange[]} in document order: operations, then component schemas
 */
export function diffSpecs(oldDoc, newDoc) {
  /** @type {SpecChange[]} */
  const out = [];
  const ctx = { oldDoc, newDoc, out, seen: new Set() };
  const before = operations(oldDoc);
  const after = operations(newDoc);
  for (const [key, entry] of before) {
    if (!after.has(key)) {
      const id = entry.op.operationId ? ` (${entry.op.operationId})` : "";
      out.push({ kind: "operation-removed", breaking: true, where: key, message: `operation removed${id}` });
    }
  }
  for (const [key, entry] of after) {
    if (!before.has(key)) {
      const id = entry.op.operationId ? ` (${entry.op.operationId})` : "";
      out.push({ kind: "operation-added", breaking: false, where: key, message: `operation added${id}` });
    }
  }
  for (const [key, entry] of before) {
    const next = after.get(key);
    if (!next) continue;
    if (entry.op.operationId !== next.op.operationId) {
      out.push({
        kind: "operation-id-changed",
        breaking: true,
        where: key,
        message: `operationId ${entry.op.operationId ?? "none"} → ${next.op.operationId ?? "none"} (the generated operations["…"] type is renamed)`,
      });
    }
    compareOperation(ctx, key, entry, next);
  }
  const oldSchemas = oldDoc.components?.schemas ?? {};
  const newSchemas = newDoc.components?.schemas ?? {};
  for (const name of Object.keys(oldSchemas)) {
    if (!(name in newSchemas)) {
      out.push({
        kind: "schema-removed",
        breaking: true,
        where: `components.schemas.${name}`,
        message: `component schema removed (the generated components["schemas"]["${name}"] type disappears)`,
      });
    }
  }
  for (const name of Object.keys(newSchemas)) {
    if (!(name in oldSchemas)) {
      out.push({
        kind: "schema-added",
        breaking: false,
        where: `components.schemas.${name}`,
        message: "component schema added",
      });
    }
  }
  // The same change reached through two operations is reported once per operation; exact repeats go.
  const unique = new Map(out.map((change) => [`${change.where}|${change.kind}|${change.message}`, change]));
  return [...unique.values()];
}

/** A plain-text summary for people: breaking changes first. */
export function formatChanges(changes) {
  if (changes.length === 0) return "No contract changes (descriptions and examples are not compared).";
  const breaking = changes.filter((c) => c.breaking);
  const other = changes.filter((c) => !c.breaking);
  const lines = [];
  if (breaking.length) {
    lines.push(`BREAKING (${breaking.length}): existing callers or SDK code can break`);
    for (const c of breaking) lines.push(`  ✗ ${c.where}: ${c.message}`);
  }
  if (other.length) {
    if (lines.length) lines.push("");
    lines.push(`Non-breaking (${other.length})`);
    for (const c of other) lines.push(`  ✓ ${c.where}: ${c.message}`);
  }
  lines.push("", `${breaking.length} breaking, ${other.length} non-breaking change(s).`);
  return lines.join("\n");
}
