// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPortfolioEngine} from "./interfaces/IPortfolioEngine.sol";
import {IRiskEngine} from "./interfaces/IRiskEngine.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

/// @title PortfolioEngine
/// @notice Portfolio margin (issue #18): the governance table of joint stress scenarios and the rule
/// "in every scenario the shocked collateral value covers the debt". See {IPortfolioEngine} and
/// docs/portfolio.md (the rule, its rounding, and the proof that a one-asset portfolio gets exactly the
/// isolated rule of `VaultEngine`).
/// @dev Reads prices only from the vault engine (`spot`, `liquidationRatio`, `scale` per ilk: the same
/// Spotter-fed values the isolated rule reads). The table is stored as one fixed row of `MAX_ASSETS`
/// 64-bit shocks per scenario (two slots), so a check at the limits reads 16 table slots.
contract PortfolioEngine is IPortfolioEngine, OwnableRoles, ReentrancyGuardTransient {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice 1.0 in 18-decimal fixed point; also the full shock.
    uint256 public constant WAD = 1e18;

    /// @notice Most assets a table (and so a portfolio) may hold; bounds the check's gas.
    uint256 public constant MAX_ASSETS = 8;

    /// @notice Most scenarios a table may hold; bounds the check's gas.
    uint256 public constant MAX_SCENARIOS = 8;

    /// @notice Lowest liquidation ratio the engine allows (VaultEngine.MIN_LIQUIDATION_RATIO).
    uint256 public constant MIN_LIQUIDATION_RATIO = 1e18;

    /// @notice Highest liquidation ratio the engine allows (VaultEngine.MAX_LIQUIDATION_RATIO).
    uint256 public constant MAX_LIQUIDATION_RATIO = 10e18;

    /// @notice Largest token scale (`10 ** 18` for a 0-decimal token).
    uint256 public constant MAX_SCALE = 1e18;

    /// @dev `transfer(address,uint256)`.
    bytes4 private constant _TRANSFER_SELECTOR = 0xa9059cbb;

    /// @notice Role allowed to call `seizeCollateral` (the liquidation engine).
    uint256 public constant LIQUIDATOR = _ROLE_0;

    /// @dev 1.0 in 27-decimal fixed point (the rate accumulator).
    uint256 private constant _RAY = 1e27;

    /// @dev Largest spot and largest `collateral × scale` the engine stores.
    uint256 private constant _MAX_U128 = type(uint128).max;

    /// @inheritdoc IPortfolioEngine
    address public immutable vaultEngine;

    /// @inheritdoc IPortfolioEngine
    bytes32 public immutable portfolioIlk;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The table's ilks, in column order.
    bytes32[] internal _assets;

    /// @dev One row per scenario: shock of column `a` (WAD ≤ 1e18 < 2^64) at index `a`.
    uint64[MAX_ASSETS][] internal _shocks;

    /// @dev Owner => ilk => holding (native units).
    mapping(address => mapping(bytes32 => uint256)) internal _holdings;

    /// @dev Ilk => Σ holdings (native units): this contract's balance of the token.
    mapping(bytes32 => uint256) internal _totalHeld;

    /// @dev Auction house => auction id => the portfolio whose collateral it sells.
    mapping(address => mapping(uint256 => address)) internal _auctionOwners;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param owner_ Governance (a timelock in production): sets the scenario table.
    /// @param vaultEngine_ The vault engine whose prices the rule reads and that books portfolio debt.
    /// @param portfolioIlk_ The engine's ilk for portfolio debt (governance makes this contract its risk
    /// engine with `VaultEngine.setRiskEngine`).
    constructor(address owner_, address vaultEngine_, bytes32 portfolioIlk_) {
        if (owner_ == address(0) || vaultEngine_ == address(0)) revert ZeroAddress();
        if (portfolioIlk_ == bytes32(0)) revert ZeroIlk();
        _initializeOwner(owner_);
        vaultEngine = vaultEngine_;
        portfolioIlk = portfolioIlk_;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         GOVERNANCE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPortfolioEngine
    function setScenarioTable(bytes32[] calldata assets_, uint256[][] calldata shocksWad) external onlyOwner {
        _validateTable(assets_, shocksWad);
        uint256 n = assets_.length;
        for (uint256 a; a < n; ++a) {
            if (IVaultEngine(vaultEngine).ilks(assets_[a]).token == address(0)) revert UnknownIlk(assets_[a]);
        }
        // Every asset a portfolio still holds stays in the table (its holdings keep a price).
        uint256 old = _assets.length;
        for (uint256 k; k < old; ++k) {
            bytes32 ilk = _assets[k];
            uint256 held = _totalHeld[ilk];
            if (held == 0) continue;
            bool kept;
            for (uint256 a; a < n && !kept; ++a) {
                kept = assets_[a] == ilk;
            }
            if (!kept) revert AssetStillHeld(ilk, held);
        }
        _assets = assets_;
        delete _shocks;
        uint256 m = shocksWad.length;
        for (uint256 j; j < m; ++j) {
            uint64[MAX_ASSETS] memory row;
            for (uint256 a; a < n; ++a) {
                // forge-lint: disable-next-line(unsafe-typecast) ≤ WAD < 2^64, checked by _validateTable
                row[a] = uint64(shocksWad[j][a]);
            }
            _shocks.push(row);
        }
        emit ScenarioTableSet(assets_, shocksWad);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         PORTFOLIOS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPortfolioEngine
    function deposit(address owner, bytes32 ilk, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (owner == address(0)) revert ZeroAddress();
        uint256 a = _assetIndex(ilk);
        IVaultEngine.Ilk memory i = IVaultEngine(vaultEngine).ilks(ilk);
        uint256 collateral = _holdings[owner][ilk] + amount;
        if (collateral > _MAX_U128 / i.scale) revert CollateralOutOfRange(a, collateral);
        _holdings[owner][ilk] = collateral;
        _totalHeld[ilk] += amount;
        _pullCollateral(i.token, amount);
        emit PortfolioCollateralChanged(owner, ilk, _toInt(amount), collateral);
    }

    /// @inheritdoc IPortfolioEngine
    function withdraw(bytes32 ilk, uint256 amount, address to) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        uint256 held = _holdings[msg.sender][ilk];
        if (amount > held) revert InsufficientCollateral(ilk, amount, held);
        unchecked {
            // amount ≤ held ≤ total held
            _holdings[msg.sender][ilk] = held - amount;
            _totalHeld[ilk] -= amount;
        }
        _requireSafe(msg.sender);
        _pushCollateral(IVaultEngine(vaultEngine).ilks(ilk).token, to, amount);
        emit PortfolioCollateralChanged(msg.sender, ilk, -_toInt(amount), held - amount);
    }

    /// @inheritdoc IPortfolioEngine
    function borrow(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        // The engine books and mints (no callback: gUSD has no hooks); the check below reverts it all.
        IVaultEngine(vaultEngine).externalDebt(portfolioIlk, msg.sender, _toInt(amount), msg.sender);
        _requireSafe(msg.sender);
    }

    /// @inheritdoc IPortfolioEngine
    function repay(address owner, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IVaultEngine(vaultEngine).externalDebt(portfolioIlk, owner, -_toInt(amount), msg.sender);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         LIQUIDATION                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPortfolioEngine
    function seizeCollateral(address owner, bytes32 ilk, uint256 amount, address house, uint256 auctionId)
        external
        nonReentrant
        onlyRoles(LIQUIDATOR)
    {
        if (amount == 0) revert ZeroAmount();
        if (house == address(0)) revert ZeroAddress();
        uint256 held = _holdings[owner][ilk];
        if (amount > held) revert InsufficientCollateral(ilk, amount, held);
        unchecked {
            // amount ≤ held ≤ total held
            _holdings[owner][ilk] = held - amount;
            _totalHeld[ilk] -= amount;
        }
        _auctionOwners[house][auctionId] = owner;
        _pushCollateral(IVaultEngine(vaultEngine).ilks(ilk).token, house, amount);
        emit PortfolioCollateralChanged(owner, ilk, -_toInt(amount), held - amount);
        emit PortfolioCollateralAuctioned(owner, ilk, house, auctionId, amount);
    }

    /// @inheritdoc IRiskEngine
    /// @dev No lock: only the vault engine calls it, from inside an auction house's last take, and it makes
    /// no call out. The vault engine has sent the tokens before calling.
    function onCollateralRestored(bytes32 ilk, address house, uint256 auctionId, uint256 amount) external {
        if (msg.sender != vaultEngine) revert NotVaultEngine(msg.sender);
        address owner = _auctionOwners[house][auctionId];
        if (owner == address(0)) revert UnknownPortfolioAuction(house, auctionId);
        delete _auctionOwners[house][auctionId];
        uint256 collateral = _holdings[owner][ilk] + amount;
        _holdings[owner][ilk] = collateral;
        _totalHeld[ilk] += amount;
        emit PortfolioCollateralChanged(owner, ilk, _toInt(amount), collateral);
        emit PortfolioCollateralRestored(owner, ilk, house, auctionId, amount);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                            VIEWS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPortfolioEngine
    function collateralOf(address owner, bytes32 ilk) external view returns (uint256 collateral) {
        collateral = _holdings[owner][ilk];
    }

    /// @inheritdoc IPortfolioEngine
    function holdingsOf(address owner) external view returns (uint256[] memory collaterals) {
        collaterals = _holdingsOf(owner);
    }

    /// @inheritdoc IPortfolioEngine
    function totalHeld(bytes32 ilk) external view returns (uint256 total) {
        total = _totalHeld[ilk];
    }

    /// @inheritdoc IPortfolioEngine
    function portfolioDebt(address owner) external view returns (uint256 debtWad) {
        debtWad = IVaultEngine(vaultEngine).debtOf(portfolioIlk, owner);
    }

    /// @inheritdoc IPortfolioEngine
    function isSafe(address owner) external view returns (bool safe) {
        uint256 debt = IVaultEngine(vaultEngine).debtOf(portfolioIlk, owner);
        if (debt == 0) return true;
        (uint256 worstValueWad,) = _storedRequirement(_holdingsOf(owner));
        safe = worstValueWad >= debt;
    }

    /// @inheritdoc IPortfolioEngine
    function liquidationView(address owner) external view returns (LiquidationView memory v) {
        IVaultEngine engine = IVaultEngine(vaultEngine);
        (, v.normalizedDebt) = engine.vault(portfolioIlk, owner);
        IVaultEngine.Ilk memory line = engine.ilks(portfolioIlk);
        (v.rate, v.dust) = (line.rate, line.dust);
        uint256[] memory collaterals = _holdingsOf(owner);
        uint256 n = collaterals.length;
        uint256 held;
        for (uint256 a; a < n; ++a) {
            if (collaterals[a] != 0) ++held;
        }
        (v.ilks, v.collaterals, v.weightsWad) = (new bytes32[](held), new uint256[](held), new uint256[](held));
        uint256 k;
        for (uint256 a; a < n; ++a) {
            uint256 c = collaterals[a];
            if (c == 0) continue;
            IVaultEngine.Ilk memory i = engine.ilks(_assets[a]);
            (v.ilks[k], v.collaterals[k]) = (_assets[a], c);
            // Rounds down, as the isolated value `VaultEngine.isSafe` compares.
            v.weightsWad[k++] = FixedPointMathLib.fullMulDiv(c * i.scale, i.spot, WAD);
        }
        uint256 debt = FixedPointMathLib.divUp(v.normalizedDebt * v.rate, _RAY);
        if (debt == 0) {
            v.safe = true;
        } else {
            (uint256 worstValueWad,) = _storedRequirement(collaterals);
            v.safe = worstValueWad >= debt;
        }
    }

    /// @inheritdoc IPortfolioEngine
    function assets() external view returns (bytes32[] memory ids) {
        ids = _assets;
    }

    /// @inheritdoc IPortfolioEngine
    function scenarios() external view returns (uint256[][] memory shocksWad) {
        uint256 n = _assets.length;
        uint256 m = _shocks.length;
        shocksWad = new uint256[][](m);
        for (uint256 j; j < m; ++j) {
            uint64[MAX_ASSETS] storage row = _shocks[j];
            uint256[] memory out = new uint256[](n);
            for (uint256 a; a < n; ++a) {
                out[a] = row[a];
            }
            shocksWad[j] = out;
        }
    }

    /// @inheritdoc IPortfolioEngine
    function portfolioRequirement(uint256[] calldata collaterals)
        external
        view
        returns (uint256 worstValueWad, uint256 worstScenario)
    {
        (worstValueWad, worstScenario) = _storedRequirement(collaterals);
    }


    /// @inheritdoc IPortfolioEngine
    function isPortfolioSafe(uint256[] calldata collaterals, uint256 debtWad) external view returns (bool safe) {
        if (debtWad == 0) return true;
        (uint256 worstValueWad,) = _storedRequirement(collaterals);
        safe = worstValueWad >= debtWad;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          PURE RULE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPortfolioEngine
    function validateTable(bytes32[] calldata assets_, uint256[][] calldata shocksWad) external pure {
        _validateTable(assets_, shocksWad);
    }

    /// @inheritdoc IPortfolioEngine
    function scenarioValues(AssetRisk[] calldata risks, uint256[] calldata collaterals, uint256[][] calldata shocksWad)
        external
        pure
        returns (uint256[] memory valuesWad)
    {
        valuesWad = _pureValues(risks, collaterals, shocksWad);
    }

    /// @inheritdoc IPortfolioEngine
    function requirementUnder(
        AssetRisk[] calldata risks,
        uint256[] calldata collaterals,
        uint256[][] calldata shocksWad
    ) external pure returns (uint256 worstValueWad, uint256 worstScenario) {
        if (shocksWad.length == 0) revert NoScenarios();
        uint256[] memory values = _pureValues(risks, collaterals, shocksWad);
        worstValueWad = values[0];
        for (uint256 j = 1; j < values.length; ++j) {
            if (values[j] < worstValueWad) (worstValueWad, worstScenario) = (values[j], j);
        }
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          INTERNAL                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The first broken condition of a table, in the order docs/portfolio.md lists them.
    function _validateTable(bytes32[] calldata assets_, uint256[][] calldata shocksWad) internal pure {
        uint256 n = assets_.length;
        if (n == 0) revert NoAssets();
        if (n > MAX_ASSETS) revert TooManyAssets(n, MAX_ASSETS);
        uint256 m = shocksWad.length;
        if (m == 0) revert NoScenarios();
        if (m > MAX_SCENARIOS) revert TooManyScenarios(m, MAX_SCENARIOS);
        for (uint256 a; a < n; ++a) {
            bytes32 ilk = assets_[a];
            if (ilk == bytes32(0)) revert ZeroIlk();
            for (uint256 b; b < a; ++b) {
                if (assets_[b] == ilk) revert DuplicateAsset(ilk);
            }
        }
        bool[] memory fullShock = new bool[](n); // some scenario applies asset a's full shock
        for (uint256 j; j < m; ++j) {
            uint256[] calldata row = shocksWad[j];
            if (row.length != n) revert ScenarioWidthMismatch(j, row.length, n);
            for (uint256 a; a < n; ++a) {
                uint256 shock = row[a];
                if (shock > WAD) revert ShockOutOfRange(j, a, shock);
                if (shock == WAD) fullShock[a] = true;
            }
        }
        for (uint256 a; a < n; ++a) {
            if (!fullShock[a]) revert MissingSingleAssetScenario(assets_[a]);
        }
    }

    /// @dev Scenario values for caller-given prices and rows, inputs bounds-checked in order: lengths,
    /// then per asset spot, ratio, scale, collateral, then per scenario width and shocks.
    function _pureValues(AssetRisk[] calldata risks, uint256[] calldata collaterals, uint256[][] calldata shocksWad)
        internal
        pure
        returns (uint256[] memory valuesWad)
    {
        uint256 n = risks.length;
        if (collaterals.length != n) revert LengthMismatch(n, collaterals.length);
        uint256[] memory collateralWad = new uint256[](n);
        uint256[] memory spot = new uint256[](n);
        uint256[] memory gap = new uint256[](n);
        for (uint256 a; a < n; ++a) {
            AssetRisk calldata r = risks[a];
            if (r.spotWad > _MAX_U128) revert SpotOutOfRange(a, r.spotWad);
            if (r.liquidationRatioWad < MIN_LIQUIDATION_RATIO || r.liquidationRatioWad > MAX_LIQUIDATION_RATIO) {
                revert LiquidationRatioOutOfRange(a, r.liquidationRatioWad);
            }
            if (r.scale == 0 || r.scale > MAX_SCALE) revert ScaleOutOfRange(a, r.scale);
            if (collaterals[a] > _MAX_U128 / r.scale) revert CollateralOutOfRange(a, collaterals[a]);
            (collateralWad[a], spot[a], gap[a]) = _priced(collaterals[a], r.scale, r.spotWad, r.liquidationRatioWad);
        }
        uint256 m = shocksWad.length;
        valuesWad = new uint256[](m);
        for (uint256 j; j < m; ++j) {
            uint256[] calldata row = shocksWad[j];
            if (row.length != n) revert ScenarioWidthMismatch(j, row.length, n);
            uint256 value;
            for (uint256 a; a < n; ++a) {
                uint256 shock = row[a];
                if (shock > WAD) revert ShockOutOfRange(j, a, shock);
                if (collateralWad[a] != 0) value += _shockedValue(collateralWad[a], spot[a], gap[a], shock);
            }
            valuesWad[j] = value;
        }
    }

    /// @dev (lowest scenario value, its index) of `collaterals` under the stored table and the engine's
    /// prices. Assets without collateral are not read from the engine.
    function _storedRequirement(uint256[] memory collaterals)
        internal
        view
        returns (uint256 worstValueWad, uint256 worstScenario)
    {
        uint256 n = _assets.length;
        if (n == 0) revert NoAssets();
        if (collaterals.length != n) revert LengthMismatch(n, collaterals.length);
        uint256[] memory collateralWad = new uint256[](n);
        uint256[] memory spot = new uint256[](n);
        uint256[] memory gap = new uint256[](n);
        for (uint256 a; a < n; ++a) {
            uint256 c = collaterals[a];
            if (c == 0) continue;
            IVaultEngine.Ilk memory i = IVaultEngine(vaultEngine).ilks(_assets[a]);
            if (c > _MAX_U128 / i.scale) revert CollateralOutOfRange(a, c);
            (collateralWad[a], spot[a], gap[a]) = _priced(c, i.scale, i.spot, i.liquidationRatio);
        }
        uint256 m = _shocks.length;
        worstValueWad = type(uint256).max;
        for (uint256 j; j < m; ++j) {
            uint64[MAX_ASSETS] memory row = _shocks[j];
            uint256 value;
            for (uint256 a; a < n; ++a) {
                if (collateralWad[a] != 0) value += _shockedValue(collateralWad[a], spot[a], gap[a], row[a]);
            }
            if (value < worstValueWad) (worstValueWad, worstScenario) = (value, j);
        }
    }

    /// @dev Reverts `UnsafePortfolio` unless `owner` has no debt or its holdings cover it in every scenario.
    function _requireSafe(address owner) internal view {
        uint256 debt = IVaultEngine(vaultEngine).debtOf(portfolioIlk, owner);
        if (debt == 0) return;
        (uint256 worstValueWad, uint256 worstScenario) = _storedRequirement(_holdingsOf(owner));
        if (worstValueWad < debt) revert UnsafePortfolio(owner, worstValueWad, debt, worstScenario);
    }

    /// @dev `owner`'s holdings in table order.
    function _holdingsOf(address owner) internal view returns (uint256[] memory collaterals) {
        uint256 n = _assets.length;
        collaterals = new uint256[](n);
        mapping(bytes32 => uint256) storage h = _holdings[owner];
        for (uint256 a; a < n; ++a) {
            collaterals[a] = h[_assets[a]];
        }
    }

    /// @dev The column of `ilk` in the table, or `NotPortfolioAsset`.
    function _assetIndex(bytes32 ilk) internal view returns (uint256) {
        uint256 n = _assets.length;
        for (uint256 a; a < n; ++a) {
            if (_assets[a] == ilk) return a;
        }
        revert NotPortfolioAsset(ilk);
    }

    /// @dev Pulls `amount` of `token` from the caller; reverts on a false return or a short credit.
    function _pullCollateral(address token, uint256 amount) internal {
        uint256 before = SafeTransferLib.balanceOf(token, address(this));
        if (!SafeTransferLib.trySafeTransferFrom(token, msg.sender, address(this), amount)) {
            revert CollateralTransferFailed(token, msg.sender, address(this), amount);
        }
        uint256 received = SafeTransferLib.balanceOf(token, address(this)) - before;
        if (received != amount) revert FeeOnTransfer(token, amount, received);
    }

    /// @dev Sends `amount` of `token` to `to`; reverts on a failed call, a false return or no code.
    function _pushCollateral(address token, address to, uint256 amount) internal {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory data) = token.call(abi.encodeWithSelector(_TRANSFER_SELECTOR, to, amount));
        if (!ok || (data.length == 0 ? token.code.length == 0 : !abi.decode(data, (bool)))) {
            revert CollateralTransferFailed(token, address(this), to, amount);
        }
    }

    /// @dev `amount` as int256; amounts here are ≤ 2^128 (bounded by the holdings check or the engine).
    function _toInt(uint256 amount) internal pure returns (int256) {
        if (amount > _MAX_U128) revert AmountOverflow(amount);
        // forge-lint: disable-next-line(unsafe-typecast) ≤ 2^128 − 1 just above
        return int256(amount);
    }

    /// @dev Transient-storage reentrancy guard on every chain (the target EVM is Prague).
    function _useTransientReentrancyGuardOnlyOnMainnet() internal pure override returns (bool) {
        return false;
    }

    /// @dev `collateral × scale`, the spot, and `implied mark − spot` where the implied mark is
    /// `⌊spot × ratio / WAD⌋ ≥ spot` (ratio ≥ 1). Inputs are within the engine's bounds.
    function _priced(uint256 collateral, uint256 scale, uint256 spotWad, uint256 ratioWad)
        internal
        pure
        returns (uint256 collateralWad, uint256 spot, uint256 gap)
    {
        collateralWad = collateral * scale;
        spot = spotWad;
        gap = spotWad * ratioWad / WAD - spotWad;
    }

    /// @dev `⌊collateralWad × (spot + ⌊gap × (1 − shock)⌋) / WAD⌋`. With shock = 1 this is exactly the
    /// engine's `collateral × scale × spot / WAD` (the product fits 256 bits there, so the full-width
    /// division gives the same quotient).
    function _shockedValue(uint256 collateralWad, uint256 spot, uint256 gap, uint256 shockWad)
        internal
        pure
        returns (uint256)
    {
        uint256 price = spot + gap * (WAD - shockWad) / WAD;
        return FixedPointMathLib.fullMulDiv(collateralWad, price, WAD);
    }
}
