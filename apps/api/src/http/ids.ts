import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@pc/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id this system issues is a UUID (compared case-insensitively); anything else names nothing. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Every id this API issues is a UUID; anything else names nothing, so it is a 404 rather than a stream lookup. */
@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  constructor(private readonly entity: string) {}

  transform(value: string, _metadata: ArgumentMetadata): string {
    if (!isUuid(value)) throw new DomainError(`${this.entity.toUpperCase().replace(/ /g, '_')}.NOT_FOUND`, 'not_found', `${this.entity} ${value.slice(0, 100)} does not exist`);
    return value.toLowerCase();
  }
}

export const ProductIdPipe = new EntityIdPipe('Product');
export const ChangeRequestIdPipe = new EntityIdPipe('Change request');
