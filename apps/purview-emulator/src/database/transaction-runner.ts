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

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
