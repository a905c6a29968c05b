/**
 * The one place where sizes read from files are checked before anything is allocated for them:
 * pixels, points, frames, allocation bytes, JSON size. A size that is malformed (not a positive
 * integer) is the file's fault: ParseError; a well-formed size above the budget: BudgetError.
 * Both name the file (and the byte offset or line where the size was read). Limits live in
 * RESOURCE_BUDGET (src/pipeline/defaults.ts).
 */
import { RESOURCE_BUDGET } from '../defaults';
import { BudgetError, ParseError, type FileLocation } from '../errors';

export type ResourceBudget = { -readonly [K in keyof typeof RESOURCE_BUDGET]: number };

/** The budget in force: the defaults, optionally narrowed (tests, hosts with less memory). */
export function resourceBudget(overrides: Partial<ResourceBudget> = {}): ResourceBudget {
  return { ...RESOURCE_BUDGET, ...overrides };
}

function formatCount(n: number): string {
  return String(n);
}

/** A count read from a file must be a non-negative safe integer (throws ParseError otherwise). */
export function requireCount(value: number, location: FileLocation, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ParseError(location, `${what} ${String(value).slice(0, 40)} is not a valid count`);
  }
  return value;
}

/**
 * An image-like grid declared by a file (colour or depth image, .sens frame, instance map):
 * both sides positive integers and width·height within the pixel budget, and
 * width·height·bytesPerPixel within the allocation budget.
 */
export function checkPixels(
  width: number,
  height: number,
  location: FileLocation,
  what = 'image',
  bytesPerPixel = 4,
  budget: ResourceBudget = RESOURCE_BUDGET,
): void {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width <= 0 || height <= 0) {
    throw new ParseError(
      location,
      `${what} size ${String(width).slice(0, 20)}x${String(height).slice(0, 20)} is not two positive integers`,
    );
  }
  const pixels = width * height;
  if (pixels > budget.maxPixels) {
    throw new BudgetError(
      `${what} ${width}x${height} (${formatCount(pixels)} pixels) exceeds the ${formatCount(budget.maxPixels)} pixel limit`,
      location,
    );
  }
  checkAllocation(pixels * bytesPerPixel, location, `${what} ${width}x${height}`, budget);
}

/** Bytes to allocate for something sized by a file. */
export function checkAllocation(
  bytes: number,
  location: FileLocation,
  what: string,
  budget: ResourceBudget = RESOURCE_BUDGET,
): void {
  if (!(bytes <= budget.maxAllocationBytes)) {
    throw new BudgetError(
      `${what} needs ${formatCount(bytes)} bytes, more than the ${formatCount(budget.maxAllocationBytes)}-byte budget`,
      location,
    );
  }
}

/** A point (vertex) count declared by a file. */
export function checkPointCount(
  count: number,
  location: FileLocation,
  what = 'point count',
  budget: ResourceBudget = RESOURCE_BUDGET,
): number {
  requireCount(count, location, what);
  if (count > budget.maxPoints) {
    throw new BudgetError(
      `${what} ${formatCount(count)} exceeds the ${formatCount(budget.maxPoints)} point limit`,
      location,
    );
  }
  return count;
}

/** A frame count declared by a file. */
export function checkFrameCount(
  count: number,
  location: FileLocation,
  what = 'frame count',
  budget: ResourceBudget = RESOURCE_BUDGET,
): number {
  requireCount(count, location, what);
  if (count > budget.maxFrames) {
    throw new BudgetError(
      `${what} ${formatCount(count)} exceeds the ${formatCount(budget.maxFrames)} frame limit`,
      location,
    );
  }
  return count;
}

/** A JSON document's size in bytes (or UTF-16 units for text already decoded). */
export function checkJsonSize(
  size: number,
  location: FileLocation,
  budget: ResourceBudget = RESOURCE_BUDGET,
): void {
  if (size > budget.maxJsonBytes) {
    throw new BudgetError(
      `JSON document of ${formatCount(size)} bytes exceeds the ${formatCount(budget.maxJsonBytes)}-byte limit`,
      location,
    );
  }
}

/**
 * A compressed (deflate) stream of `compressedBytes` cannot inflate to more than ~1032× its size:
 * a header promising more is corrupt (ParseError), refused before the output is allocated.
 */
export function checkInflatedSize(
  inflatedBytes: number,
  compressedBytes: number,
  location: FileLocation,
  what: string,
  budget: ResourceBudget = RESOURCE_BUDGET,
): void {
  if (inflatedBytes > compressedBytes * budget.maxDeflateRatio + 64) {
    throw new ParseError(
      location,
      `${what} declares ${formatCount(inflatedBytes)} bytes, more than ${formatCount(compressedBytes)} compressed bytes can hold`,
    );
  }
  checkAllocation(inflatedBytes, location, what, budget);
}
