import { Module } from '@nestjs/common';
import { AdvanceProductStageController } from './advance-product-stage.controller';
import { AdvanceProductStageHandler } from './advance-product-stage.handler';
import { GetProductAsOfHandler, GetProductHandler, ListProductsHandler } from './product-queries';
import { ProductQueriesController } from './product-queries.controller';
import { RegisterProductController } from './register-product.controller';
import { RegisterProductHandler } from './register-product.handler';

@Module({
  controllers: [RegisterProductController, AdvanceProductStageController, ProductQueriesController],
  providers: [RegisterProductHandler, AdvanceProductStageHandler, GetProductHandler, GetProductAsOfHandler, ListProductsHandler],
})
export class ProductsModule {}
