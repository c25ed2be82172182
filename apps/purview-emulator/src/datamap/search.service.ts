import { Injectable } from '@nestjs/common';
import type { QueryResult, SearchResultValue } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { DataMapRepository, SearchRow } from './datamap.repository';
import { classificationNamesOf, toSearchDocument } from './entity-model';
import { assetTypesOf, evaluateFilter, objectTypeOf, planFilter } from './search/search-filter';
import { searchResultValue } from './search/search-result';
import { highlightsOf, keywordScoreSql, keywordWhereSql, scoreFromSql } from './search/search-keywords';
import {
  COMPUTED_FACETS,
  Cursor,
  FacetRequest,
  SearchRequest,
  encodeContinuationToken,
  facetValues,
  parseQueryOptions,
} from './search/search-query';
import { Sql, joinSql, sql } from './search/sql';
import { SearchTerm, SearchTerms } from './search/term-index';

/** Rows read per round trip when part of the filter runs in JS; memory stays bounded by this and the page size. */
export const SEARCH_CHUNK = 500;

interface Tally {
  total: number;
  byType: Map<string, number>;
  byClassification: Map<string, number>;
  byTerm: Map<string, number>;
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Purview discovery search (`POST /search/query`) over the data map. Keywords, and every filter clause SQL can
 * express, run in SQLite; attribute filters SQL cannot express run in JS over ordered chunks of the SQL matches.
 */
@Injectable()
export class SearchService {
  /** Rows per round trip on the JS-filter path (tests lower it to exercise the keyset paging). */
  chunkSize = SEARCH_CHUNK;

  constructor(
    private readonly repository: DataMapRepository,
    private readonly clock: Clock,
    private readonly terms: SearchTerms,
  ) {}

  async query(body: unknown): Promise<QueryResult> {
    const request = parseQueryOptions(body);
    const now = this.clock.nowMs();
    const plan = planFilter(request.filter, now, this.terms.index);
    const where = joinSql([sql(`e.status = 'ACTIVE'`), keywordWhereSql(request.tokens), plan.where], 'AND');
    const score = keywordScoreSql(request.tokens);
    const wantsFacets = request.facets.some((f) => (COMPUTED_FACETS as readonly string[]).includes(f.facet));
    const wantsTerms = request.facets.some((f) => f.facet === 'term');

    let page: SearchRow[];
    let tally: Tally;
    if (!plan.residual) {
      [page, tally] = await Promise.all([
        this.repository.matches(where, score, request.orderBy, { limit: request.limit, offset: request.offset }),
        this.tallyInSql(where, request.facets, wantsFacets),
      ]);
      if (wantsTerms && this.terms.index) tally.byTerm = await this.terms.index.countByTerm(where);
    } else {
      const residual = plan.residual;
      ({ page, tally } = await this.scan(
        where,
        score,
        request,
        (row) => evaluateFilter(residual, toSearchDocument(row.record), now),
        wantsFacets,
        wantsTerms,
      ));
    }
    const termsOf = this.terms.index
      ? await this.terms.index.termsOf(page.map((row) => row.record.guid))
      : new Map<string, SearchTerm[]>();

    const result: QueryResult = {
      '@search.count': tally.total,
      '@search.count.approximate': false,
      value: page.map((row) => ({ ...this.toValue(row, request), term: termsOf.get(row.record.guid) ?? [] })),
    };
    if (request.offset + request.limit < tally.total)
      result.continuationToken = encodeContinuationToken(request.offset + request.limit);
    if (request.facets.length) result['@search.facets'] = this.facets(request.facets, tally);
    return result;
  }

  private async tallyInSql(where: Sql, facets: FacetRequest[], wantsFacets: boolean): Promise<Tally> {
    const needsClassifications = facets.some((f) => f.facet === 'classification');
    // Every entity has one type: with the per-type counts at hand, their sum is the total.
    const [total, byType, byClassification] = await Promise.all([
      wantsFacets ? Promise.resolve(-1) : this.repository.countMatches(where),
      wantsFacets ? this.repository.countByType(where) : Promise.resolve(new Map<string, number>()),
      needsClassifications ? this.repository.countByClassification(where) : Promise.resolve(new Map<string, number>()),
    ]);
    return {
      total: wantsFacets ? [...byType.values()].reduce((a, b) => a + b, 0) : total,
      byType,
      byClassification,
      byTerm: new Map(),
    };
  }

  /** Walks all SQL matches in order, chunk by chunk, keeping the requested page and the counts. */
  private async scan(
    where: Sql,
    score: Sql,
    request: SearchRequest,
    accept: (row: SearchRow) => boolean,
    wantsFacets: boolean,
    wantsTerms: boolean,
  ): Promise<{ page: SearchRow[]; tally: Tally }> {
    const page: SearchRow[] = [];
    const tally: Tally = { total: 0, byType: new Map(), byClassification: new Map(), byTerm: new Map() };
    let after: Cursor | undefined;
    for (;;) {
      const chunk = await this.repository.matches(where, score, request.orderBy, { limit: this.chunkSize, after });
      const accepted = chunk.filter(accept);
      if (wantsTerms && this.terms.index)
        for (const terms of (await this.terms.index.termsOf(accepted.map((r) => r.record.guid))).values())
          for (const name of new Set(terms.map((t) => t.name))) increment(tally.byTerm, name);
      for (const row of accepted) {
        if (tally.total >= request.offset && page.length < request.limit) page.push(row);
        tally.total++;
        if (wantsFacets) {
          increment(tally.byType, row.record.typeName);
          for (const c of new Set(classificationNamesOf(row.record))) increment(tally.byClassification, c);
        }
      }
      if (chunk.length < this.chunkSize) break;
      after = chunk[chunk.length - 1].cursor;
    }
    return { page, tally };
  }

  private facets(requests: FacetRequest[], tally: Tally): Record<string, { count: number; value: string }[]> {
    const out: Record<string, { count: number; value: string }[]> = {};
    for (const request of requests) {
      const counts = new Map<string, number>();
      switch (request.facet) {
        case 'entityType':
          for (const [t, n] of tally.byType) increment(counts, t, n);
          break;
        case 'assetType':
          for (const [t, n] of tally.byType) for (const a of assetTypesOf(t)) increment(counts, a, n);
          break;
        case 'objectType':
          for (const [t, n] of tally.byType) increment(counts, objectTypeOf(t), n);
          break;
        case 'classification':
          for (const [c, n] of tally.byClassification) increment(counts, c, n);
          break;
        case 'term':
          for (const [t, n] of tally.byTerm) increment(counts, t, n);
          break;
        default:
          break; // glossaryType, contact and label facets: the emulator indexes none of them
      }
      out[request.facet] = facetValues(counts, request);
    }
    return out;
  }

  private toValue(row: SearchRow, request: SearchRequest): SearchResultValue {
    const value = searchResultValue(row.record, scoreFromSql(row.score, request.tokens.length));
    const highlights = highlightsOf(toSearchDocument(row.record), request.tokens);
    if (highlights) value['@search.highlights'] = highlights;
    return value;
  }
}
