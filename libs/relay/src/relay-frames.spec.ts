import { RELAY_CONTROL_CHANNEL_LIMIT, type RelayResponseMessage } from '@purview-emulator/contracts';
import { RelayFrameReader, encodeRelayFrames, sendRelayFrames } from './relay-frames';

type Response = RelayResponseMessage['response'];
const responses = () =>
  new RelayFrameReader<Response>((m) =>
    m.response && typeof m.response === 'object' ? (m.response as Response) : undefined,
  );
const text = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('relay frames: JSON header, then the body as one binary frame', () => {
  it('encodes a message with a body as its JSON and one binary frame, in that order', () => {
    const frames = encodeRelayFrames(
      { response: { requestId: '1', statusCode: 200, body: true } },
      Buffer.from('hello'),
    );
    const sent: [string | Buffer, boolean][] = [];
    sendRelayFrames({ send: (data, options) => sent.push([data, options?.binary === true]) }, frames);
    expect(sent).toEqual([
      [JSON.stringify({ response: { requestId: '1', statusCode: 200, body: true } }), false],
      [Buffer.from('hello'), true],
    ]);
  });

  it('encodes a message without a body as its JSON alone (no empty binary frame)', () => {
    const frames = encodeRelayFrames({ response: { requestId: '1', statusCode: 204, body: false } });
    expect(frames.body).toBeUndefined();
    const sent: unknown[] = [];
    sendRelayFrames({ send: (data) => sent.push(data) }, frames);
    expect(sent).toHaveLength(1);
  });

  it('decodes what it encodes', () => {
    const message = {
      response: { requestId: 'r', statusCode: 201, responseHeaders: { 'content-type': 'text/plain' }, body: true },
    };
    const frames = encodeRelayFrames(message, Buffer.from([0, 1, 2, 255]));
    const reader = responses();
    expect(reader.read(Buffer.from(frames.text), false)).toEqual({ kind: 'awaiting-body' });
    expect(reader.read(frames.body!, true)).toEqual({
      kind: 'message',
      header: message.response,
      body: Buffer.from([0, 1, 2, 255]),
    });
  });

  it('counts JSON bytes (not characters) and the body against the 64 kB control channel limit', () => {
    const message = { response: { requestId: 'é', statusCode: 200, body: true } };
    const jsonBytes = Buffer.byteLength(JSON.stringify(message));
    expect(jsonBytes).toBeGreaterThan(JSON.stringify(message).length);
    expect(encodeRelayFrames(message, Buffer.alloc(RELAY_CONTROL_CHANNEL_LIMIT - jsonBytes)).fitsControlChannel).toBe(
      true,
    );
    expect(
      encodeRelayFrames(message, Buffer.alloc(RELAY_CONTROL_CHANNEL_LIMIT - jsonBytes + 1)).fitsControlChannel,
    ).toBe(false);
    expect(encodeRelayFrames({ big: 'x'.repeat(RELAY_CONTROL_CHANNEL_LIMIT) }).fitsControlChannel).toBe(false);
  });

  it('holds a header that announced a body until the binary frame comes, and gives that body to the last header read', () => {
    const reader = responses();
    expect(reader.read(text({ response: { requestId: 'first', statusCode: 200, body: true } }), false)).toEqual({
      kind: 'awaiting-body',
    });
    expect(reader.read(text({ response: { requestId: 'second', statusCode: 200, body: true } }), false)).toEqual({
      kind: 'awaiting-body',
    });
    const event = reader.read([Buffer.from('ab'), Buffer.from('c')], true);
    expect(event).toEqual({
      kind: 'message',
      header: { requestId: 'second', statusCode: 200, body: true },
      body: Buffer.from('abc'),
    });
    // The body was used: a further binary frame belongs to nobody.
    expect(reader.read(Buffer.from('d'), true)).toEqual({ kind: 'stray-body' });
  });

  it('completes a header without a body at once, and ignores the empty binary frame hyco-https sends after it', () => {
    const reader = responses();
    expect(reader.read(text({ response: { requestId: 'r', statusCode: 204, body: false } }), false)).toEqual({
      kind: 'message',
      header: { requestId: 'r', statusCode: 204, body: false },
      body: Buffer.alloc(0),
    });
    expect(reader.read(new ArrayBuffer(0), true)).toEqual({ kind: 'stray-body' });
  });

  it('calls text that is not a JSON object malformed: broken JSON, null, numbers, strings, arrays', () => {
    const reader = responses();
    for (const frame of ['{"response":', 'null', '5', '"response"', '[{"response":{}}]', ''])
      expect(reader.read(Buffer.from(frame), false)).toEqual({ kind: 'malformed' });
  });

  it('passes on JSON objects that are not its headers (renewToken, or a response that is not an object)', () => {
    const reader = responses();
    expect(reader.read(text({ renewToken: { token: 't' } }), false)).toEqual({
      kind: 'other',
      message: { renewToken: { token: 't' } },
    });
    expect(reader.read(text({ response: 'no' }), false)).toEqual({ kind: 'other', message: { response: 'no' } });
  });

  it('keeps a header waiting across frames it does not own', () => {
    const reader = responses();
    reader.read(text({ response: { requestId: 'r', statusCode: 200, body: true } }), false);
    expect(reader.read(text({ renewToken: { token: 't' } }), false).kind).toBe('other');
    expect(reader.read(Buffer.from('not json'), false).kind).toBe('malformed');
    expect(reader.read(Buffer.from('body'), true)).toMatchObject({
      kind: 'message',
      header: { requestId: 'r' },
      body: Buffer.from('body'),
    });
  });
});
