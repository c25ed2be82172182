import { DynamicModule, Global, Module } from '@nestjs/common';
import { EMULATOR_CONFIG, EmulatorConfig } from './emulator-config';
import { Clock } from '../common/clock';
import { ResetHooks } from '../common/reset-hooks';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: EmulatorConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: EMULATOR_CONFIG, useValue: config }, Clock, ResetHooks],
      exports: [EMULATOR_CONFIG, Clock, ResetHooks],
    };
  }
}
