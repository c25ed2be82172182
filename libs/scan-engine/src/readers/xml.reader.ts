import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { flattenDocuments } from './json.reader';
import {
  DEFAULT_SAMPLE_BYTES,
  DEFAULT_SAMPLE_ROWS,
  errorMessage,
  failed,
  type FileSample,
  readPrefix,
  type SampleOptions,
} from './sample';

const TEXT = '#text';

/**
 * Reads an XML file within the first `sampleBytes`. The rows are the repeated elements under the root (the first
 * element that repeats, descending through single wrappers: `<catalog><books><book/>…`); a root without repeats is one
 * row. Child elements flatten to dotted columns, attributes to `@name`; every column is `string` (XML has no types).
 */
export async function readXmlSample(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: SampleOptions & { totalBytes?: number } = {},
): Promise<FileSample> {
  const sampleRows = Math.max(0, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const sampleBytes = Math.max(1, options.sampleBytes ?? DEFAULT_SAMPLE_BYTES);
  const { bytes, complete } = await readPrefix(input, sampleBytes, {
    signal: options.signal,
    totalBytes: options.totalBytes,
  });
  const bytesRead = bytes.length;
  let text = bytes.toString('utf8').replace(/^\ufeff/, '');
  // A cut file ends inside some tag or text: keep it up to its last whole tag (unclosed elements parse as closed).
  if (!complete) text = text.slice(0, text.lastIndexOf('>') + 1);
  if (!text.trim())
    return complete
      ? {
          status: 'empty',
          reason: 'The file has no XML content',
          columns: [],
          rows: [],
          sampledRows: 0,
          errorRows: 0,
          bytesRead,
        }
      : failed(`No XML content within the first ${sampleBytes} bytes`, bytesRead);
  if (!text.trimStart().startsWith('<')) return failed('Not XML: the content does not start with a tag', bytesRead);
  // A whole file must be well-formed; a cut one cannot be checked past the cut.
  if (complete) {
    const valid = XMLValidator.validate(text);
    if (valid !== true)
      return failed(`Invalid XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`, bytesRead);
  }

  let document: Record<string, unknown>;
  try {
    document = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      textNodeName: TEXT,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      commentPropName: false,
    }).parse(text) as Record<string, unknown>;
  } catch (error) {
    return failed(`Invalid XML: ${errorMessage(error)}`, bytesRead);
  }
  const roots = Object.keys(document);
  if (roots.length !== 1)
    return roots.length === 0
      ? failed('Invalid XML: no root element', bytesRead)
      : failed(`Invalid XML: ${roots.length} root elements`, bytesRead);

  const { name, rows: elements } = rowsOf(roots[0], document[roots[0]]);
  // The element cut by the byte limit is incomplete: drop it.
  const whole = complete ? elements : elements.slice(0, -1);
  if (whole.length === 0)
    return failed(`No complete <${name}> element within the first ${sampleBytes} bytes`, bytesRead);
  const sampled = whole.slice(0, sampleRows);
  const flat = sampled.map((element) => {
    const cells: Record<string, unknown> = {};
    flattenElement(element, '', cells, name);
    return cells;
  });
  const table = flattenDocuments(flat);
  const stoppedBy = whole.length > sampleRows ? 'rows' : complete ? undefined : 'bytes';
  return {
    status: 'ok',
    columns: table.columns.map((c) => ({ name: c.name, type: 'string' })),
    rows: table.rows,
    sampledRows: sampled.length,
    errorRows: 0,
    bytesRead,
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(table.truncated ? { columnsTruncated: table.truncated } : {}),
  };
}

/** The repeated elements: descend through elements with a single child element until one repeats. */
function rowsOf(name: string, node: unknown): { name: string; rows: unknown[] } {
  for (let depth = 0; depth < 32; depth++) {
    if (Array.isArray(node)) return { name, rows: node };
    if (typeof node !== 'object' || node === null) break;
    const children = Object.keys(node).filter((k) => !k.startsWith('@') && k !== TEXT);
    const repeated = children.find((k) => Array.isArray((node as Record<string, unknown>)[k]));
    if (repeated) return { name: repeated, rows: (node as Record<string, unknown[]>)[repeated] };
    const attributes = Object.keys(node).length - children.length;
    if (children.length !== 1 || attributes > 0) break;
    name = children[0];
    node = (node as Record<string, unknown>)[name];
  }
  return { name, rows: [node] };
}

function flattenElement(value: unknown, prefix: string, out: Record<string, unknown>, elementName: string): void {
  if (typeof value !== 'object' || value === null) {
    out[prefix || elementName] = value;
    return;
  }
  if (Array.isArray(value)) {
    out[prefix] = value; // a repeated child inside a row: one column
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === TEXT) out[prefix || elementName] = child;
    else flattenElement(child, prefix ? `${prefix}.${key}` : key, out, elementName);
  }
}
