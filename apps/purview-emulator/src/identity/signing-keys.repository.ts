import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity';

@Injectable()
export class SigningKeysRepository {
  constructor(@InjectRepository(SigningKeyEntity) private readonly repo: Repository<SigningKeyEntity>) {}

  findCurrent(): Promise<SigningKeyEntity | null> {
    return this.repo.findOne({ where: {}, order: { createdAt: 'DESC' } });
  }

  async save(key: SigningKeyEntity): Promise<void> {
    await this.repo.insert(key);
  }
}
