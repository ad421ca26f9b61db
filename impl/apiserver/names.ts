// Names the server fills in: metadata.generateName plus five random characters from
// upstream's alphabet, drawn from the Env's Random so sim runs replay.

import type { Random } from '../env/random.js';
import { generateName, NAME_SUFFIX_ALPHABET } from '../api/names.js';

const alphabet = [...NAME_SUFFIX_ALPHABET];

export function generateObjectName(base: string, random: Random): string {
  return generateName(base, () => random.pick(alphabet));
}
