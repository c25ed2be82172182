import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite drivers share one connection, so two concurrent `transaction()` calls interleave and fail
 * ("cannot start a transaction within a transaction"). Every transaction goes through this FIFO queue.
 * Keep transactions short and never await network I/O inside one.
 */
@Injectable()
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly beforeCommitHooks: ((manager: EntityManager) => Promise<void>)[] = [];

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Work another module does at the end of every transaction, in it (the search index indexes the entities the
   * transaction wrote). A hook that fails rolls the transaction back.
   */
  beforeCommit(hook: (manager: EntityManager) => Promise<void>): void {
    this.beforeCommitHooks.push(hook);
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = this.tail.then(() =>
      this.dataSource.transaction(async (manager) => {
        const value = await work(manager);
        for (const hook of this.beforeCommitHooks) await hook(manager);
        return value;
      }),
    );
    this.tail = result.catch(() => undefined);
    return result;
  }
}
