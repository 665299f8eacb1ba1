// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRiskEngine} from "./IRiskEngine.sol";

/// @title IPortfolioEngine
/// @notice Portfolio margin (issue #18, docs/portfolio.md): a governance table of joint stress scenarios
/// and the rule that a portfolio is safe when, in every scenario, its shocked collateral value covers its
/// debt. A shock is the share (WAD, in [0, 1]) of an asset's isolated margin the scenario applies: the
/// asset is valued at `spot + (mark − spot) × (1 − shock)` with `mark = spot × liquidationRatio`, so a
/// shock of 1 is exactly the isolated rule's `spot` and a one-asset portfolio gets exactly that rule.
/// @dev Units: prices, values and debt WAD; collateral in the token's native units. Every value rounds
/// down and the debt the caller passes is the engine's `debtOf` (rounded up): rounding never helps the
/// borrower.
interface IPortfolioEngine is IRiskEngine {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A zero address where a contract is required.
    error ZeroAddress();

    /// @notice The table names no asset.
    error NoAssets();

    /// @notice The table names more assets than `MAX_ASSETS`.
    error TooManyAssets(uint256 count, uint256 max);

    /// @notice The table has no scenario.
    error NoScenarios();

    /// @notice The table has more scenarios than `MAX_SCENARIOS`.
    error TooManyScenarios(uint256 count, uint256 max);

    /// @notice Scenario `scenario` has `width` shocks where the table has `assets` assets.
    error ScenarioWidthMismatch(uint256 scenario, uint256 width, uint256 assets);

    /// @notice A shock above 1 (WAD): harsher than the asset's isolated rule.
    error ShockOutOfRange(uint256 scenario, uint256 asset, uint256 shockWad);

    /// @notice The zero ilk id in the table.
    error ZeroIlk();

    /// @notice The same ilk twice in the table.
    error DuplicateAsset(bytes32 ilk);

    /// @notice No scenario applies `ilk`'s full shock (1), so a one-asset portfolio of it would be
    /// margined more loosely than its isolated vault.
    error MissingSingleAssetScenario(bytes32 ilk);

    /// @notice A table asset the vault engine does not know.
    error UnknownIlk(bytes32 ilk);

    /// @notice An array whose length must be `expected` has `actual` entries.
    error LengthMismatch(uint256 expected, uint256 actual);

    /// @notice A spot above what the engine can hold (2^128 − 1).
    error SpotOutOfRange(uint256 asset, uint256 spotWad);

    /// @notice A liquidation ratio outside the engine's bounds [1, 10] (WAD).
    error LiquidationRatioOutOfRange(uint256 asset, uint256 ratioWad);

    /// @notice A scale that is not in [1, 1e18].
    error ScaleOutOfRange(uint256 asset, uint256 scale);

    /// @notice `collateral × scale` above what the engine can hold (2^128 − 1).
    error CollateralOutOfRange(uint256 asset, uint256 collateral);

    /// @notice A zero amount.
    error ZeroAmount();

    /// @notice An amount above 2^128 − 1.
    error AmountOverflow(uint256 amount);

    /// @notice `ilk` is not an asset of the scenario table.
    error NotPortfolioAsset(bytes32 ilk);

    /// @notice Withdrawing `requested` of an asset the portfolio holds `available` of.
    error InsufficientCollateral(bytes32 ilk, uint256 requested, uint256 available);

    /// @notice After the change the worst scenario (`worstScenario`, value `worstValueWad`) no longer
    /// covers the portfolio's debt `debtWad`.
    error UnsafePortfolio(address owner, uint256 worstValueWad, uint256 debtWad, uint256 worstScenario);

    /// @notice A new table would drop `ilk`, of which portfolios still hold `totalHeld`.
    error AssetStillHeld(bytes32 ilk, uint256 totalHeld);

    /// @notice `onCollateralRestored` from a caller other than the vault engine.
    error NotVaultEngine(address caller);

    /// @notice A lot came back from an auction this engine did not register (never happens for auctions the
    /// liquidation engine kicked: it registers each one in `seizeCollateral`).
    error UnknownPortfolioAuction(address house, uint256 auctionId);

    /// @notice The collateral token moved `received` where `expected` was sent (fee on transfer).
    error FeeOnTransfer(address token, uint256 expected, uint256 received);

    /// @notice A collateral transfer failed or returned false.
    error CollateralTransferFailed(address token, address from, address to, uint256 amount);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Governance replaced the scenario table. `shocksWad[j][a]` is scenario `j`'s shock of
    /// `assets[a]`.
    event ScenarioTableSet(bytes32[] assets, uint256[][] shocksWad);

    /// @notice `owner`'s holding of `ilk` changed by `collateralDelta` (native units) to `collateral`.
    /// Debt changes are the vault engine's `VaultChanged` on the portfolio ilk.
    event PortfolioCollateralChanged(
        address indexed owner, bytes32 indexed ilk, int256 collateralDelta, uint256 collateral
    );

    /// @notice `amount` of `owner`'s `ilk` went to auction `auctionId` of `house` (a liquidation).
    event PortfolioCollateralAuctioned(
        address indexed owner, bytes32 indexed ilk, address indexed house, uint256 auctionId, uint256 amount
    );

    /// @notice Auction `auctionId` of `house` ended with `amount` of `owner`'s `ilk` unsold: back in the portfolio.
    event PortfolioCollateralRestored(
        address indexed owner, bytes32 indexed ilk, address indexed house, uint256 auctionId, uint256 amount
    );

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice What the rule reads about one asset, as the vault engine holds it.
    /// @param spotWad Mark price / liquidation ratio (the Spotter's `spot`), WAD, ≤ 2^128 − 1.
    /// @param liquidationRatioWad The ilk's liquidation ratio, WAD, in [1, 10].
    /// @param scale `10 ** (18 − decimals)` of the collateral token, in [1, 1e18].
    struct AssetRisk {
        uint256 spotWad;
        uint256 liquidationRatioWad;
        uint256 scale;
    }

    /// @notice Everything a portfolio liquidation needs, in one call (see `liquidationView`).
    /// @param safe The portfolio rule, as `isSafe`.
    /// @param normalizedDebt The portfolio's normalized debt on the portfolio ilk.
    /// @param rate The portfolio ilk's rate accumulator (RAY).
    /// @param dust The portfolio ilk's dust (WAD).
    /// @param ilks The assets the portfolio holds (non-zero holdings), in table order.
    /// @param collaterals Its holding of each, native units.
    /// @param weightsWad Each holding's isolated value `⌊collateral × scale × spot / WAD⌋` (WAD): a
    /// liquidation gives each lot the share of the debt its weight carries.
    struct LiquidationView {
        bool safe;
        uint256 normalizedDebt;
        uint256 rate;
        uint256 dust;
        bytes32[] ilks;
        uint256[] collaterals;
        uint256[] weightsWad;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         GOVERNANCE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Replaces the scenario table (owner only; the owner is a timelock in production).
    /// @dev Reverts as `validateTable` does, and `UnknownIlk` for an asset the engine does not list.
    /// Emits `ScenarioTableSet`.
    /// @param assets The ilks the table margins, in column order.
    /// @param shocksWad One row per scenario, one shock (WAD, [0, 1]) per asset.
    function setScenarioTable(bytes32[] calldata assets, uint256[][] calldata shocksWad) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         PORTFOLIOS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Adds `amount` of table asset `ilk` (native units, pulled from the caller) to `owner`'s
    /// portfolio. Anyone may add to anyone's portfolio (a rescue). Emits `PortfolioCollateralChanged`.
    /// @param owner The portfolio owner.
    /// @param ilk A table asset.
    /// @param amount Native units, > 0.
    function deposit(address owner, bytes32 ilk, uint256 amount) external;

    /// @notice Takes `amount` of `ilk` out of the caller's portfolio to `to`; reverts `UnsafePortfolio` if
    /// the portfolio's debt is then no longer covered in every scenario. Emits `PortfolioCollateralChanged`.
    /// @param ilk A held asset.
    /// @param amount Native units, > 0.
    /// @param to Receives the tokens.
    function withdraw(bytes32 ilk, uint256 amount, address to) external;

    /// @notice Draws `amount` stablecoin (WAD) to the caller against the caller's portfolio; reverts
    /// `UnsafePortfolio` if the new debt is not covered in every scenario (and as the engine does on
    /// ceiling and dust).
    /// @param amount Stablecoin, WAD, > 0.
    function borrow(uint256 amount) external;

    /// @notice Burns `amount` stablecoin (WAD) from the caller against `owner`'s portfolio debt. Anyone
    /// may repay anyone's debt (a rescue).
    /// @param owner The portfolio owner.
    /// @param amount Stablecoin, WAD, > 0.
    function repay(address owner, uint256 amount) external;

    /// @notice Moves `amount` of `owner`'s `ilk` to `house` for auction `auctionId`, whose owner is this
    /// engine, and remembers whose it is so an unsold rest comes back to the portfolio
    /// (`onCollateralRestored`). Liquidation engine only (role `LIQUIDATOR`), which has checked the
    /// portfolio is unsafe and seized the matching debt. Emits `PortfolioCollateralChanged` and
    /// `PortfolioCollateralAuctioned`.
    /// @param owner The portfolio owner.
    /// @param ilk A held asset.
    /// @param amount Native units, ≤ the holding.
    /// @param house The ilk's auction house (receives the tokens).
    /// @param auctionId The auction just kicked on `house`.
    function seizeCollateral(address owner, bytes32 ilk, uint256 amount, address house, uint256 auctionId) external;

    /// @notice Role allowed to call `seizeCollateral` (the liquidation engine).
    function LIQUIDATOR() external view returns (uint256);

    /// @notice What a liquidation of `owner`'s portfolio reads, in one call.
    function liquidationView(address owner) external view returns (LiquidationView memory view_);

    /// @notice The vault engine's ilk that books portfolio debt (externally margined by this contract).
    function portfolioIlk() external view returns (bytes32);

    /// @notice `owner`'s holding of `ilk`, native units.
    function collateralOf(address owner, bytes32 ilk) external view returns (uint256 collateral);

    /// @notice `owner`'s holdings in table order, native units.
    function holdingsOf(address owner) external view returns (uint256[] memory collaterals);

    /// @notice Everything held of `ilk` across portfolios (equals this contract's token balance for it).
    function totalHeld(bytes32 ilk) external view returns (uint256 total);

    /// @notice `owner`'s debt, WAD, rounded up (the engine's `debtOf` on the portfolio ilk).
    function portfolioDebt(address owner) external view returns (uint256 debtWad);

    /// @notice True when `owner` has no debt or every scenario's shocked value of its holdings covers it.
    function isSafe(address owner) external view returns (bool safe);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                            VIEWS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The vault engine whose prices the rule reads.
    function vaultEngine() external view returns (address);

    /// @notice The table's assets, in column order.
    function assets() external view returns (bytes32[] memory ids);

    /// @notice The table's shocks: `shocksWad[j][a]` is scenario `j`'s shock of asset `a`.
    function scenarios() external view returns (uint256[][] memory shocksWad);

    /// @notice Worst scenario of `collaterals` (one per table asset, native units) at the engine's
    /// current prices.
    /// @return worstValueWad The lowest shocked collateral value over the scenarios, rounded down.
    /// @return worstScenario Its index (the first on ties).
    function portfolioRequirement(uint256[] calldata collaterals)
        external
        view
        returns (uint256 worstValueWad, uint256 worstScenario);

    /// @notice True when `debtWad` is 0 or every scenario's shocked value of `collaterals` covers it.
    /// @param collaterals One amount per table asset, native units.
    /// @param debtWad The debt, WAD, rounded up as `VaultEngine.debtOf` rounds it.
    function isPortfolioSafe(uint256[] calldata collaterals, uint256 debtWad) external view returns (bool safe);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*              PURE RULE (any table, any prices)             */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Reverts with the first broken condition of a table (see docs/portfolio.md); engine
    /// membership is not checked here.
    /// @param assets The ilks, in column order.
    /// @param shocksWad One row per scenario, one shock per asset.
    function validateTable(bytes32[] calldata assets, uint256[][] calldata shocksWad) external pure;

    /// @notice Every scenario's shocked collateral value (WAD, rounded down) for the given prices and table
    /// rows; the table is taken as is (validate it with `validateTable`), the inputs are bounds-checked.
    /// @param risks One per asset: spot, liquidation ratio, scale.
    /// @param collaterals One per asset, native units.
    /// @param shocksWad One row per scenario, one shock per asset (each ≤ 1).
    function scenarioValues(AssetRisk[] calldata risks, uint256[] calldata collaterals, uint256[][] calldata shocksWad)
        external
        pure
        returns (uint256[] memory valuesWad);

    /// @notice The lowest of `scenarioValues` and its index (first on ties).
    /// @param risks One per asset: spot, liquidation ratio, scale.
    /// @param collaterals One per asset, native units.
    /// @param shocksWad One row per scenario, one shock per asset (each ≤ 1).
    function requirementUnder(
        AssetRisk[] calldata risks,
        uint256[] calldata collaterals,
        uint256[][] calldata shocksWad
    ) external pure returns (uint256 worstValueWad, uint256 worstScenario);
}
