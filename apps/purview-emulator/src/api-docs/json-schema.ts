/** A JSON Schema or OpenAPI object, as the document builder handles them (shapes themselves live in libs/contracts). */
export type JsonSchema = Record<string, unknown>;
