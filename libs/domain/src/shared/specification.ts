export type SpecificationValue = string | number | boolean;
export type Specification = Readonly<Record<string, SpecificationValue>>;

export interface FieldChange {
  readonly field: string;
  readonly proposedValue: SpecificationValue;
}

export const isSpecificationValue = (value: unknown): value is SpecificationValue =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
