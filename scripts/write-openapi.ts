import { writeFileSync } from 'node:fs';
import { generateOpenApi } from './openapi.js';

writeFileSync('openapi/openapi.json', await generateOpenApi());
console.log('wrote openapi/openapi.json');
