import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { PassThrough, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_BODY_DEPTH, nestsDeeperThan } from './body-depth';
import { RequestValidationError } from './problem-details.filter';


const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/**
 * The body of a request as sent: gzip, deflate and br are decoded (the size limit applies to the decoded
 * body), identity passes through, anything else is a 415. A stream that cannot be decoded is a 400.
 */
function decodedPayload(request: FastifyRequest, payload: Readable): Readable {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  const decoder = DECODERS[encoding];
  if (!decoder) throw new HttpException(`Unsupported content encoding "${encoding}"`, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  const decoding = decoder();
  const decoded = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
  // Fastify compares Content-Length with the bytes received, which are the encoded ones.
  payload.on('data', (chunk: Buffer) => (decoded.receivedEncodedLength += chunk.length));
  decoding.on('error', (error: Error) => decoded.destroy(new BadRequestException(`The request body could not be decoded as ${encoding}: ${error.message}`)));
  payload.pipe(decoding).pipe(decoded);
  return decoded;
}

/** Only UTF-8 is read; another charset would be decoded wrongly. */
function assertUtf8(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpException(`Unsupported charset "${charset.toUpperCase()}"`, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }
}

/**
 * Parses a JSON body the way clients of this API have always been answered: an empty body is `{}`, the body must be
 * an object or an array (strict), `__proto__` stays a plain key that validation drops, and a body nested deeper than
 * MAX_BODY_DEPTH is a 400 before the recursive steps after parsing (validation, canonical JSON) can overflow the stack.
 */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  assertUtf8(contentType);
  const start = text.search(/\S/);
  if (start === -1) return {};
  if (text[start] !== '{' && text[start] !== '[') throw new BadRequestException(`The request body is not valid JSON: it must be an object or an array`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new BadRequestException(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) {
    throw new RequestValidationError([{ field: 'body', messages: [`must not nest objects or arrays more than ${MAX_BODY_DEPTH} levels deep`] }]);
  }
  return body;
}

/** JSON is the only body the API reads besides uploads (multipart/form-data, registered with the upload limits). */
export function registerJsonBody(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addHook('preParsing', async (request, _reply, payload) => decodedPayload(request, payload));
  const parser = (request: FastifyRequest, text: string | Buffer, done: (error: Error | null, body?: unknown) => void): void => {
    try {
      done(null, parseJsonBody(text.toString(), request.headers['content-type']));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  // application/json and the structured-syntax suffix application/*+json (RFC 6839).
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, parser);
  fastify.addContentTypeParser(/^application\/[\w.-]+\+json(?:\s*;|$)/i, { parseAs: 'string', bodyLimit }, parser);
}
